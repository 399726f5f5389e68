"""quotations_check / quotation_check: the recorded checks, their evidence, the reviewer's part."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.utils import timezone

from review.models import QuotationCheck
from review.quotecheck_services import quotation_check, quotations_check
from sources.models import SourceDocument
from sources.services import source_document_attach
from tests.factories import make_quotation, make_section, make_source, make_user
from tests.quotecheck.labelled import labels

pytestmark = pytest.mark.django_db


def test_every_quotation_of_the_essay_gets_its_labelled_status(labelled_essay):
    checks = quotations_check(essay=labelled_essay.essay)
    assert {c.quotation_id: c.status for c in checks} == labelled_essay.expected
    assert QuotationCheck.objects.filter(
        quotation__section__essay=labelled_essay.essay
    ).count() == (len(labels()) + 2)


def test_a_check_records_the_capture_its_offsets_and_the_changes(labelled_essay):
    quotations_check(essay=labelled_essay.essay)
    altered = labelled_essay.by_label["h10"]
    check = QuotationCheck.objects.select_related("document").get(quotation=altered)
    document = SourceDocument.objects.get(source=altered.source, is_current=True)
    assert (check.document, check.document_sha256) == (document, document.sha256)
    assert document.text[check.start : check.end] == (
        "The ministry knew for years that the breakwater was failing"
    )
    assert check.changes == [{"quoted": "months", "original": "years"}]
    assert check.quoted_text == altered.text
    assert 0.6 <= check.score < 1


def test_quotations_without_a_document_are_recorded_as_no_text(labelled_essay):
    quotations_check(essay=labelled_essay.essay)
    for quotation in (labelled_essay.unsourced, labelled_essay.undocumented):
        check = QuotationCheck.objects.get(quotation=quotation)
        assert (check.status, check.document, check.start, check.changes) == (
            "no_text",
            None,
            None,
            [],
        )


def test_a_second_run_replaces_the_checks_instead_of_adding_rows(labelled_essay):
    first = {c.quotation_id: c.pk for c in quotations_check(essay=labelled_essay.essay)}
    second = {c.quotation_id: c.pk for c in quotations_check(essay=labelled_essay.essay)}
    assert first == second


def test_each_document_is_read_once_whatever_the_number_of_quotations(
    labelled_essay, django_assert_max_num_queries
):
    quotations_check(essay=labelled_essay.essay)  # rows exist: the run below updates them
    count = len(labels()) + 2
    # Reads: quotations, current documents, the lock, existing checks; then one UPDATE a row.
    with django_assert_max_num_queries(6 + count):
        quotations_check(essay=labelled_essay.essay)


def _confirm(check: QuotationCheck, user) -> None:
    QuotationCheck.objects.filter(pk=check.pk).update(
        confirmed_by=user,
        confirmed_at=timezone.now(),
        override_status="verbatim",
        override_reason="translation",
    )


ROAD = "the harbour road to Dallin is open again"


def test_a_reviewers_judgement_stays_while_the_finding_is_the_same(reviewer):
    section = make_section(body=f"The council said “{ROAD}”.")
    quotation = make_quotation(section, ROAD, source=make_source())
    source_document_attach(
        source=quotation.source,
        data=b"The council said the harbour road to Dallin is closed again for now.",
        content_type="text/plain",
        filename="minutes.txt",
        actor=None,
    )
    check = quotation_check(quotation=quotation)
    assert check.status == "altered"
    _confirm(check, reviewer)
    check = quotation_check(quotation=quotation)
    assert (check.confirmed_by, check.override_status, check.override_reason) == (
        reviewer,
        "verbatim",
        "translation",
    )
    assert check.effective_status == "verbatim"


def test_a_reviewers_judgement_is_cleared_when_a_new_capture_changes_the_finding(reviewer):
    section = make_section(body=f"The council said “{ROAD}”.")
    quotation = make_quotation(section, ROAD, source=make_source())
    captures = (
        b"The council said the harbour road to Dallin is closed again for now.",
        b"They said the harbour road to Dallin is open again.",
    )
    for text in captures:
        source_document_attach(
            source=quotation.source,
            data=text,
            content_type="text/plain",
            filename="minutes.txt",
            actor=None,
        )
        check = quotation_check(quotation=quotation)
        if check.status == "altered":
            _confirm(check, reviewer)
    check.refresh_from_db()
    assert check.status == "verbatim"
    assert (
        check.confirmed_by,
        check.confirmed_at,
        check.override_status,
        check.override_reason,
    ) == (
        None,
        None,
        "",
        "",
    )


def test_the_capture_a_check_was_made_against_cannot_be_deleted():
    quotation = make_quotation(text="the road is open", source=make_source())
    document = source_document_attach(
        source=quotation.source,
        data=b"The road is open, the council said.",
        content_type="text/plain",
        filename="minutes.txt",
        actor=None,
    )
    quotation_check(quotation=quotation)
    with pytest.raises(ProtectedError):
        document.delete()


def test_an_override_needs_a_reason():
    from django.db import IntegrityError, transaction

    check = quotation_check(quotation=make_quotation())
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotationCheck.objects.filter(pk=check.pk).update(override_status="verbatim")


@pytest.mark.parametrize("role", ["Editor", "Reviewer", "Publisher"])
def test_every_role_may_run_the_check(role):
    check = quotation_check(quotation=make_quotation(), actor=make_user(role))
    assert check.status == "no_text"


def test_a_user_without_a_role_may_not_run_the_check():
    quotation = make_quotation()
    with pytest.raises(PermissionDenied):
        quotation_check(quotation=quotation, actor=make_user())
    assert not QuotationCheck.objects.filter(quotation=quotation).exists()


def test_quotations_of_two_sources_sharing_nothing_are_checked_against_their_own():
    section = make_section(body="A said “alpha beta gamma delta” and B said “one two three four”.")
    first = make_quotation(section, "alpha beta gamma delta", source=make_source())
    second = make_quotation(section, "one two three four", source=make_source())
    for quotation, text in (
        (first, b"alpha beta gamma delta"),
        (second, b"alpha beta gamma delta"),
    ):
        source_document_attach(
            source=quotation.source,
            data=text,
            content_type="text/plain",
            filename="a.txt",
            actor=None,
        )
    checks = quotations_check(quotations=[first, second])
    assert [c.status for c in checks] == ["verbatim", "not_found"]
