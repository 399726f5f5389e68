"""History pages show old versions; they never write (issue 11, item 1).

django-simple-history's page for one old version saved a POST of its form with only view
permission: a Reviewer renamed an essay and set a published one back to draft that way.
"""

import re

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from essays.models import Essay
from review.roles import EDITOR, PUBLISHER, REVIEWER
from tests.factories import make_claim, make_counter_evidence, make_quotation, make_user

pytestmark = pytest.mark.django_db


def _objects():
    claim = make_claim()
    section = claim.section
    essay = section.essay
    Essay.objects.filter(pk=essay.pk).update(status="published")
    return {
        "essays.essay": essay,
        "essays.section": section,
        "essays.quotation": make_quotation(section),
        "essays.claim": claim,
        "review.counterevidence": make_counter_evidence(claim),
    }


def _history_url(obj) -> str:
    record = obj.history.order_by("history_date").first()
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.pk]
    )


def _as_post(obj) -> dict:
    """The object's own fields, as its history form would post them back, with a change."""
    data = {k: ("" if v is None else v) for k, v in model_to_dict(obj).items()}
    for name in ("title", "heading", "statement", "summary", "text"):
        if name in data:
            data[name] = "Rewritten through the history page"
    data["status"] = "draft"
    return data


@pytest.mark.parametrize("role", [REVIEWER, EDITOR, PUBLISHER, "superuser"])
def test_no_history_page_saves_a_post(client, role):
    user = make_user(superuser=True) if role == "superuser" else make_user(role)
    client.force_login(user)
    for label, obj in _objects().items():
        before = type(obj).objects.filter(pk=obj.pk).values().get()
        response = client.post(_history_url(obj), _as_post(obj))
        assert response.status_code == 405, (label, response.status_code)
        assert type(obj).objects.filter(pk=obj.pk).values().get() == before, label


def test_the_history_page_shows_the_old_version_read_only(client):
    client.force_login(make_user(superuser=True))
    for label, obj in _objects().items():
        response = client.get(_history_url(obj))
        assert response.status_code == 200, label
        page = response.content.decode()
        form = page[page.index('<div id="content-main">') :]
        assert 'name="_save"' not in form and 'type="submit"' not in form, label
        fields = re.findall(r"<(?:input|textarea|select)\b[^>]*>", form)
        editable = [
            f
            for f in fields
            if "disabled" not in f and 'type="hidden"' not in f and "csrfmiddlewaretoken" not in f
        ]
        assert fields and not editable, (label, editable)
