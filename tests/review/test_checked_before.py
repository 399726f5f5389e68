"""The claim page's "Checked before" panel and "Reuse this evidence"."""

import pytest
from django.urls import reverse

from essays.choices import ClaimStatus
from review.models import CounterEvidence
from tests.factories import (
    make_claim,
    make_counter_evidence,
    make_essay,
    make_section,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db
SECRET = "unapproved-evidence-never-offered-3c1"


@pytest.fixture
def earlier_and_new(reviewer):
    old_text = "The CIA supplied TOW missiles to Nusra-allied groups in Idlib."
    earlier = make_claim(
        make_section(make_essay(title="The Idlib Pipeline"), body=old_text), exact=old_text[:-10]
    )
    earlier.status, earlier.verdict = ClaimStatus.APPROVED, "misleading"
    earlier.verdict_summary = "The missiles went to vetted groups; some were later captured."
    earlier.save()
    offered = make_counter_evidence(
        earlier,
        approved=True,
        source=make_source(title="Programme audit, 2016"),
        summary="An audit traced 60 launchers to vetted units.",
    )
    make_counter_evidence(earlier, approved=False, summary=SECRET)
    bread = make_section(make_essay(title="Bread"), body="Bread prices rose.")
    make_claim(bread, exact="Bread prices rose", status=ClaimStatus.APPROVED, verdict="false")
    new_text = "TOW missiles from the CIA reached Nusra allies around Idlib."
    claim = make_claim(
        make_section(make_essay(title="Weapons in the North"), body=new_text),
        exact=new_text[:-1],
        status=ClaimStatus.IN_REVIEW,
        assigned_to=reviewer,
    )
    return earlier, offered, claim


def test_the_claim_page_offers_the_earlier_verdict_and_its_approved_evidence(
    client, reviewer, earlier_and_new
):
    earlier, offered, claim = earlier_and_new
    client.force_login(reviewer)
    page = client.get(reverse("admin:essays_claim_change", args=[claim.pk])).content.decode()
    panel = page.split('class="cp-checked-before"')[1].split("</details>")[0]
    assert f'data-claim="{earlier.pk}"' in panel and "Misleading" in panel
    assert "The Idlib Pipeline" in panel
    assert "An audit traced 60 launchers" in panel and "Reuse this evidence" in panel
    assert SECRET not in page and "Bread prices" not in panel


def test_reusing_evidence_copies_it_as_a_draft_once(client, reviewer, earlier_and_new):
    earlier, offered, claim = earlier_and_new
    client.force_login(reviewer)
    url = reverse("admin:essays_claim_reuse_evidence", args=[claim.pk])
    assert client.post(url, {"evidence": offered.pk}).status_code == 302
    copy = CounterEvidence.objects.get(claim=claim)
    assert (copy.summary, copy.source_id) == (offered.summary, offered.source_id)
    assert not copy.approved
    assert copy.created_by == reviewer
    client.post(url, {"evidence": offered.pk})  # twice: refused, not duplicated
    unapproved = CounterEvidence.objects.get(summary=SECRET)
    client.post(url, {"evidence": unapproved.pk})  # never offered, refused if posted
    client.post(url, {"evidence": "x"})
    assert CounterEvidence.objects.filter(claim=claim).count() == 1
    assert client.get(url).status_code == 302


def test_a_reviewer_cannot_reuse_evidence_on_someone_elses_claim(client, earlier_and_new):
    _, offered, claim = earlier_and_new
    client.force_login(make_user("Reviewer"))
    client.post(reverse("admin:essays_claim_reuse_evidence", args=[claim.pk]),
                {"evidence": offered.pk})  # fmt: skip
    assert not CounterEvidence.objects.filter(claim=claim).exists()
