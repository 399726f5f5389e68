"""Row buttons posted with ids that are not ids answer 404, never 500, and write nothing."""

import pytest
from django.urls import reverse

from essays.models import Claim, ClaimCandidate
from review.models import CounterEvidence, QuotationCheck, StatusChange

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (reverse("admin:review_approvalitem_decide"), {"approve_claim": "abc:1"}),
        (reverse("admin:review_approvalitem_decide"), {"approve_claim": "1:x"}),
        (reverse("admin:review_approvalitem_decide"), {"approve_claim": "1"}),
        (reverse("admin:review_approvalitem_decide"), {"approve_evidence": "1 OR 1=1"}),
        (reverse("admin:essays_claimcandidate_decide"), {"accept": "x"}),
        (reverse("admin:essays_claimcandidate_decide"), {"reject": "-1"}),
        ("/admin/review/quotationcheck/abc/judge/", {"override_status": ""}),
    ],
)
def test_hostile_ids_are_not_found(client, publisher, url, data):
    client.raise_request_exception = False
    client.force_login(publisher)
    before = [m.objects.count() for m in (Claim, ClaimCandidate, StatusChange, QuotationCheck)]
    assert client.post(url, data).status_code == 404
    after = [m.objects.count() for m in (Claim, ClaimCandidate, StatusChange, QuotationCheck)]
    assert after == before
    assert not CounterEvidence.objects.filter(approved=True).exists()
