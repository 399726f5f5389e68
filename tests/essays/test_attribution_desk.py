"""The attribution desk: every quotation of an essay in its sentence, fixed in place,
row by row or in bulk, through the service, with a version check and flat queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essays.importer import save_import
from essays.models import Quotation
from sources.models import Outlet
from tests.factories import make_outlet, make_person, make_source, make_user
from tests.importer.conftest import parse_text

pytestmark = pytest.mark.django_db

ESSAY = """Harbours

Intro paragraph that is long enough to be prose, and names nobody in particular.

{quotes}

Published at https://counterpoint.example/essays/harbours-{n}
"""


def imported_essay(n: int, editor):
    quotes = "\n\n".join(
        f"“Ship number {i} came in at dawn,” said Amal Haddad{i} of The Guardian in May."
        if i % 2 else f"The harbour log for day {i} says “{i} boats left” and nothing more."
        for i in range(n)
    )  # fmt: skip
    return save_import(parsed=parse_text(ESSAY.format(quotes=quotes, n=n)), actor=editor).essay


def desk(essay, **params):
    url = reverse("admin:essays_essay_attributions", args=[essay.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def row_data(client, essay, quotation, **changes):
    """The row's form as the desk shows it (what a browser would send), with `changes`."""
    page = client.get(desk(essay))
    entry = next(e for e in page.context["entries"] if e["quotation"].pk == quotation.pk)
    prefix = f"q{quotation.pk}-"
    data = {"_row": str(quotation.pk), f"{prefix}version": entry["version"]}
    for field in entry["fields"]:
        value = field["value"]
        if field["kind"] == "checkbox":
            if value:
                data[prefix + field["name"]] = "on"
        elif field["kind"] == "autocomplete":
            if value:
                data[prefix + field["name"]] = value[0]
        else:
            data[prefix + field["name"]] = value or ""
    for name, value in changes.items():
        key = prefix + name
        if value in (False, None):
            data.pop(key, None)
        else:
            data[key] = "on" if value is True else getattr(value, "pk", value)
    return data


@pytest.fixture
def editor(shipped_outlets):
    return make_user(superuser=True)


def test_the_desk_shows_every_quotation_in_its_sentence_in_reading_order(client, editor):
    essay = imported_essay(6, editor)
    client.force_login(editor)
    html = client.get(desk(essay)).content.decode()
    texts = [q.text for q in Quotation.objects.filter(section__essay=essay).order_by("start")]
    positions = [html.index(f"<mark>{text}</mark>") for text in texts]
    assert positions == sorted(positions) and len(texts) == 6
    assert "The harbour log for day 2 says “<mark>2 boats left</mark>” and nothing more." in html
    assert "Attributions checked: 0 / 6" in html
    assert 'name="start"' not in html  # no offsets for people


def test_the_desk_costs_the_same_queries_for_10_and_for_300_quotations(client, editor):
    client.force_login(editor)
    counts = []
    for n in (10, 300):
        essay = imported_essay(n, editor)
        client.get(desk(essay))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(desk(essay)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_row_is_saved_through_the_service_and_the_page_moves_to_the_next_unchecked_one(
    client, editor
):
    essay = imported_essay(4, editor)
    client.force_login(editor)
    first, second = Quotation.objects.filter(section__essay=essay).order_by("start")[:2]
    speaker, source = make_person(name="Rana Aziz"), make_source(title="Port log")
    data = row_data(client, essay, first, speaker=speaker, source=source, checked=True,
                    speaker_description="")  # fmt: skip
    response = client.post(desk(essay), data)
    assert response.status_code == 302 and response["Location"].endswith(f"#row-{second.pk}")
    first.refresh_from_db()
    assert (first.speaker, first.source, first.checked_by) == (speaker, source, editor)
    assert first.version == 2 and first.checked_at is not None
    html = client.get(reverse("admin:essays_essay_change", args=[essay.pk])).content.decode()
    assert "checked: 1 / 4" in html and desk(essay) in html

    # The same form sent again (an editor on a stale page) is refused and writes nothing.
    stale = {**data, f"q{first.pk}-speaker_description": "someone else"}
    response = client.post(desk(essay), stale)
    assert response.status_code == 200
    assert "changed by someone else since you loaded the page" in response.content.decode()
    first.refresh_from_db()
    assert first.speaker_description == "" and first.version == 2


def test_bulk_sets_an_outlet_on_the_ticked_rows_only(client, editor):
    essay = imported_essay(6, editor)
    client.force_login(editor)
    rows = list(Quotation.objects.filter(section__essay=essay).order_by("start"))
    telegraph = make_outlet(name="The Daily Telegraph (bulk)")
    response = client.post(desk(essay), {"_bulk": "1", "outlet": telegraph.pk,
                                         "selected": [rows[0].pk, rows[3].pk]})  # fmt: skip
    assert response.status_code == 302
    changed = set(Quotation.objects.filter(outlet=telegraph).values_list("pk", flat=True))
    assert changed == {rows[0].pk, rows[3].pk}


def test_filters_and_low_confidence_first(client, editor):
    essay = imported_essay(6, editor)
    client.force_login(editor)
    quotations = Quotation.objects.filter(section__essay=essay).order_by("start")
    no_outlet = {q.pk for q in quotations if q.outlet_id is None}
    shown = {
        e["quotation"].pk for e in client.get(desk(essay, show="no-outlet")).context["entries"]
    }
    assert shown == no_outlet and shown
    last = quotations.last()
    Quotation.objects.filter(pk=last.pk).update(confidence="low")
    ordered = client.get(desk(essay, order="confidence")).context["entries"]
    assert ordered[0]["quotation"].pk == last.pk


def test_those_who_may_not_change_quotations_may_look_but_not_save(client, editor):
    essay = imported_essay(2, editor)
    reviewer = make_user("Reviewer")
    client.force_login(reviewer)
    page = client.get(desk(essay))
    if page.status_code == 200:
        assert 'name="_row"' not in page.content.decode()
    quotation = Quotation.objects.filter(section__essay=essay).first()
    response = client.post(desk(essay), {"_row": quotation.pk, f"q{quotation.pk}-version": 1})
    assert response.status_code == 403
    assert Quotation.objects.get(pk=quotation.pk).version == 1


def test_correcting_an_imported_outlet_teaches_the_importer_its_spelling(client, editor):
    essay = imported_essay(2, editor)
    client.force_login(editor)
    quotation = Quotation.objects.filter(section__essay=essay, outlet__isnull=False).first()
    variant = quotation.outlet.name
    chosen = make_outlet(name="Guardian News & Media")
    client.post(desk(essay), row_data(client, essay, quotation, outlet=chosen))
    assert variant in Outlet.objects.get(pk=chosen.pk).aliases
    assert re.search("Guardian", " ".join(Outlet.objects.get(pk=chosen.pk).aliases))
