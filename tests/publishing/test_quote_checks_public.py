"""Readers see what a quotation check established: "checked against the original", or a
reviewer-confirmed alteration with the source's own words; nothing of the reviewers' notes."""

import pytest
from django.urls import reverse

from essays.models import Quotation
from review.quotecheck_services import quotation_check_judge
from sources.services import source_document_attach
from tests.factories import (
    make_essay,
    make_quotation,
    make_quotation_check,
    make_section,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db

ORIGINAL = "The minister said the harbour road would reopen within a year, if funds allowed."


@pytest.fixture
def essay_with_checks(publisher):
    from review.roles import REVIEWER

    essay = make_essay()
    section = make_section(
        essay,
        body="One: “the harbour road would reopen”. Two: “the road would reopen next month”. "
        "Three: “funds allowed”. Four: “within a year”.",
    )
    source = make_source(title="Minister's statement")
    document = source_document_attach(
        source=source, data=ORIGINAL.encode(), content_type="text/plain",
        filename="statement.txt", actor=None,
    )  # fmt: skip
    assert document.text == ORIGINAL
    start = ORIGINAL.index("the harbour road would reopen within a year")
    verbatim = make_quotation(section, "the harbour road would reopen", source=source)
    make_quotation_check(verbatim, status="verbatim", document=document, start=start,
                         end=start + 29)  # fmt: skip
    altered = make_quotation(section, "the road would reopen next month", source=source)
    altered_check = make_quotation_check(
        altered, status="altered", document=document, start=start, end=start + 43
    )
    reviewer = make_user(REVIEWER)
    quotation_check_judge(check=altered_check, actor=reviewer, reason="")
    unjudged = make_quotation(section, "funds allowed", source=source)
    make_quotation_check(unjudged, status="altered", document=document, start=0, end=5)
    stale = make_quotation(section, "within a year", source=source)
    make_quotation_check(stale, status="verbatim", quoted_text="within two years")
    Quotation.objects.filter(pk=stale.pk).update(text="within a year")
    return essay


def test_readers_see_checked_quotations_and_confirmed_alterations(
    client, publisher, publish, essay_with_checks
):
    publish(essay=essay_with_checks, actor=publisher, override_reason="Go.")
    html = client.get(reverse("public:article", kwargs={"slug": essay_with_checks.slug}))
    html = html.content.decode()
    assert html.count('class="quote-checked"') == 1  # the verbatim one; not the stale one
    assert "checked against the original" in html
    note = (
        '(the source reads: “<span dir="auto">the harbour road would reopen within a year</span>”)'
    )
    assert html.count('class="quote-note"') == 1 and note in html  # confirmed only
    snapshot = essay_with_checks.revisions.get().snapshot
    assert [q["check"] for q in snapshot["quotations"]] == [
        {"status": "checked", "original": ""},
        {"status": "altered", "original": "the harbour road would reopen within a year"},
        None,
        None,
    ]
