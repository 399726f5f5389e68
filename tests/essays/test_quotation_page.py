"""A quotation's page speaks the editor's language: the words in their sentence instead of
offsets, sections named "§3 Latakia" among the essay's own, and edited words found again
in the text."""

import pytest
from django.urls import reverse

from essays.models import Quotation
from tests.factories import (
    admin_form_as_loaded,
    make_claim,
    make_essay,
    make_quotation,
    make_section,
)

pytestmark = pytest.mark.django_db

INTRO = "Residents said “the road is open” on 3 May. A monitor said “the road is shut” later."
LATAKIA = "In Latakia, one resident said “the road is open” again, and “nobody came”."


@pytest.fixture
def essay():
    essay = make_essay(title="A Brief Review of US Efforts to Protect Civilians")
    make_section(essay, heading="", body=INTRO)
    make_section(essay, heading="Latakia", body=LATAKIA)
    make_section(make_essay(title="Another essay"), heading="Elsewhere", body=LATAKIA)
    return essay


def page(client, quotation):
    return client.get(reverse("admin:essays_quotation_change", args=[quotation.pk]))


def post(client, quotation, **changes):
    response = page(client, quotation)
    data = {**admin_form_as_loaded(response.context), **changes}
    return client.post(reverse("admin:essays_quotation_change", args=[quotation.pk]), data)


def test_the_page_shows_the_words_in_their_sentence_and_no_offsets(admin_client, essay):
    quotation = make_quotation(essay.sections.get(position=0), "the road is shut")
    response = page(admin_client, quotation)
    html = response.content.decode()
    assert 'name="start"' not in html and 'name="end"' not in html
    assert "A monitor said “<mark>the road is shut</mark>” later." in html
    section = response.context["adminform"].form.fields["section"]
    labels = [label for _, label in section.choices][1:]
    assert labels == ["§1 Introduction", "§2 Latakia"]  # its own essay's, by position


def test_editing_the_words_finds_them_again_in_the_section(admin_client, essay):
    intro, latakia = essay.sections.order_by("position")
    quotation = make_quotation(intro, "the road is shut")
    response = post(admin_client, quotation, text="the road is open")
    assert response.status_code == 302
    quotation.refresh_from_db()
    assert INTRO[quotation.start : quotation.end] == "the road is open"
    assert quotation.version == 2  # a desk row loaded before this save can no longer save

    response = post(admin_client, quotation, section=latakia.pk, text="nobody came")
    assert response.status_code == 302
    quotation.refresh_from_db()
    assert quotation.section == latakia
    assert LATAKIA[quotation.start : quotation.end] == "nobody came"


def test_words_that_are_not_in_the_section_are_refused_and_nothing_changes(admin_client, essay):
    quotation = make_quotation(essay.sections.get(position=0), "the road is shut")
    before = Quotation.objects.values().get(pk=quotation.pk)
    response = post(admin_client, quotation, text="the bridge is shut")
    assert response.status_code == 200
    assert "These words do not occur in the section “§1 Introduction”" in (
        response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    )
    assert Quotation.objects.values().get(pk=quotation.pk) == before


def test_the_claim_page_chooses_among_its_essays_sections_and_a_new_quotation_by_essay(
    admin_client, essay
):
    claim = make_claim(essay.sections.get(position=1), exact="nobody came")
    response = admin_client.get(reverse("admin:essays_claim_change", args=[claim.pk]))
    field = response.context["adminform"].form.fields["section"]
    assert [label for _, label in field.choices][1:] == ["§1 Introduction", "§2 Latakia"]

    response = admin_client.get(reverse("admin:essays_quotation_add"))
    labels = [label for _, label in response.context["adminform"].form.fields["section"].choices]
    assert "Another essay — §1 Elsewhere" in labels
    assert f"{essay.title} — §2 Latakia" in labels
