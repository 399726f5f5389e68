"""The reviewer's part of a quotation check: the original in context, confirm or override."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from review.models import QuotationCheck
from review.quotecheck_services import (
    quotation_check_context,
    quotation_check_judge,
    quotations_check,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def altered(labelled_essay):
    quotations_check(essay=labelled_essay.essay)
    return QuotationCheck.objects.select_related("document").get(
        quotation=labelled_essay.by_label["h10"]
    )


def test_the_context_is_the_matched_passage_with_two_sentences_either_side(altered):
    passage = quotation_check_context(altered)
    text = altered.document.text
    assert passage["matched"] == text[altered.start : altered.end]
    assert text.find(passage["before"].lstrip("…")) >= 0 and passage["before"]
    # at most two sentence ends before the match, and the passage continues after it
    assert passage["before"].lstrip("…").count(". ") <= 2
    assert passage["after"].strip()


def test_a_second_example_context_at_the_start_of_a_text():
    from types import SimpleNamespace

    text = "First sentence here. The quoted words sit here. Then one. Then two. Then three."
    start = text.index("The quoted")
    check = SimpleNamespace(
        start=start, end=start + len("The quoted words"), document_id=1,
        document=SimpleNamespace(text=text),
    )  # fmt: skip
    passage = quotation_check_context(check)
    assert passage == {
        "before": "First sentence here. ",
        "matched": "The quoted words",
        "after": " sit here. Then one. Then two.…",
    }


def test_a_reviewer_confirms_or_overrides_with_a_reason(altered, reviewer, editor):
    with pytest.raises(PermissionDenied):
        quotation_check_judge(check=altered, actor=editor)
    with pytest.raises(ValidationError, match="Say why"):
        quotation_check_judge(check=altered, actor=reviewer, override_status="verbatim")
    judged = quotation_check_judge(
        check=altered, actor=reviewer, override_status="verbatim", reason="translation"
    )
    assert (judged.effective_status, judged.override_reason, judged.confirmed_by) == (
        "verbatim", "translation", reviewer
    )  # fmt: skip
    confirmed = quotation_check_judge(check=altered, actor=reviewer, reason="ignored")
    assert (confirmed.effective_status, confirmed.override_reason) == ("altered", "")
    assert confirmed.confirmed_by == reviewer and confirmed.confirmed_at


def test_the_check_page_shows_the_original_and_records_a_judgement(client, altered, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("admin:review_quotationcheck_change", args=[altered.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"<mark>{altered.document.text[altered.start : altered.end]}</mark>" in html
    assert '<td dir="auto">months</td><td dir="auto">years</td>' in html
    judge = reverse("admin:review_quotationcheck_judge", args=[altered.pk])
    response = client.post(judge, {"override_status": "", "override_reason": ""})
    assert response.status_code == 302
    assert QuotationCheck.objects.get(pk=altered.pk).confirmed_by == reviewer


def test_editors_read_checks_but_cannot_judge_them(client, altered, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:review_quotationcheck_change", args=[altered.pk]))
    assert html.status_code == 200 and "Your judgement" not in html.content.decode()
    judge = reverse("admin:review_quotationcheck_judge", args=[altered.pk])
    assert client.post(judge, {"override_status": ""}).status_code == 403
    assert QuotationCheck.objects.get(pk=altered.pk).confirmed_by is None


def test_the_claim_page_lists_the_quotations_inside_it_with_their_checks(client, reviewer):
    from tests.factories import make_claim, make_quotation, make_quotation_check, make_section

    body = "He said “the road is open” and “the bridge held” in May; later, “all is well”."
    section = make_section(body=body)
    claim = make_claim(section, exact="He said “the road is open” and “the bridge held”")
    inside = make_quotation(section, "the road is open")
    check = make_quotation_check(inside, status="altered")
    make_quotation(section, "the bridge held")
    make_quotation(section, "all is well")  # outside the claim's words
    client.force_login(reviewer)
    html = client.get(reverse("admin:essays_claim_change", args=[claim.pk])).content.decode()
    assert "Quotations in this claim" in html
    assert '<td dir="auto">“the road is open”</td>' in html
    assert '<td dir="auto">“the bridge held”</td>' in html
    assert '<td dir="auto">“all is well”</td>' not in html
    assert reverse("admin:review_quotationcheck_change", args=[check.pk]) in html
    assert "not checked yet" in html
