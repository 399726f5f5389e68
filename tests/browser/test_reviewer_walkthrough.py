"""A reviewer, new to Counterpoint, does a whole fact-check in the admin with a real browser."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from demo.loader import load_demo
from essays.models import Claim
from review.choices import ClaimStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_finds_queue_reads_context_notes_proposes_and_writes_counter_evidence(
    site, page, screenshot_dir
):
    load_demo()
    reviewer = get_user_model().objects.get(username="reviewer")
    reviewer.set_password("walkthrough-pw")
    reviewer.save()
    claim = Claim.objects.get(
        status=ClaimStatus.IN_REVIEW,
        assigned_to=reviewer,
        section__essay__slug="the-quiet-that-was-not-peace",
    )

    page.goto(f"{site}/admin/")
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill("walkthrough-pw")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="My queue").first.click()
    page.screenshot(path=screenshot_dir / "review-1-queue.png", full_page=True)

    page.get_by_role("link", name=str(claim)).click()
    expect(page.locator(".cp-context mark")).to_have_text(claim.exact)
    page.screenshot(path=screenshot_dir / "review-2-claim.png", full_page=True)

    # An internal note, through the claim form's inline.
    page.locator("#notes-group .add-row a").click()
    page.locator(
        ".inline-related:not(.empty-form) textarea[name^='notes-'][name$='-body']"
    ).last.fill("Walk-through note: the ministry’s own figure differs.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert claim.notes.filter(body__startswith="Walk-through note", author=reviewer).exists()

    # Counter-evidence with a source, through the same form.
    page.locator("#counter_evidence-group .add-row a").click()
    block = (
        page.locator(".inline-related:not(.empty-form)")
        .filter(has=page.locator("select[name$='-stance']"))
        .last
    )
    block.locator("select[name$='-stance']").select_option("complicates")
    block.locator("textarea[name$='-summary']").fill("The monitor’s log shows a *different* count.")
    block.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Monitor")
    page.locator(".select2-results__option").first.click()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert claim.counter_evidence.filter(created_by=reviewer, approved=False).count() == 1

    # A second note typed but not saved, then a verdict proposed from the fact-check box:
    # the one form saves the note with the move.
    page.locator("#notes-group .add-row a").click()
    page.locator(
        ".inline-related:not(.empty-form) textarea[name^='notes-'][name$='-body']"
    ).last.fill("Unsaved note: asked the monitor for its raw log.")
    panel = page.locator("#cp-moves")
    panel.get_by_label("Verdict to propose").select_option("misleading")
    panel.get_by_label("Public explanation of the verdict").fill(
        "The figure mixes two different counts."
    )
    panel.get_by_role("button", name="Propose a verdict").click()
    expect(page.locator(".messagelist")).to_contain_text("Claim is now “Verdict proposed”")
    expect(page.locator(".messagelist")).to_contain_text("Your changes on this page were saved")
    page.screenshot(path=screenshot_dir / "review-3-proposed.png", full_page=True)
    assert claim.notes.filter(body__startswith="Unsaved note", author=reviewer).exists()

    claim.refresh_from_db()
    assert (claim.status, claim.verdict, claim.verdict_proposed_by) == (
        ClaimStatus.PROPOSED,
        "misleading",
        reviewer,
    )
    assert claim.verdict_summary == "The figure mixes two different counts."
