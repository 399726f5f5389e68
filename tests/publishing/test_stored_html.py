"""Verdict summaries and counter-evidence are rendered from Markdown once, when their row
is saved; publishing and previews use the stored, sanitised HTML."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from essays.models import Claim
from publishing.services import essay_publish, essay_render_preview
from review.models import CounterEvidence
from tests.factories import make_claim, make_source
from tests.publishing.builders import approve, big_essay, evidence, reviewed_essay

HOSTILE = "A **bold** [link](javascript:alert(1)) <script>alert(2)</script>"


@pytest.mark.django_db
def test_saving_a_claim_or_evidence_stores_its_markdown_as_sanitised_html():
    claim = make_claim(verdict_summary=HOSTILE)
    item = CounterEvidence.objects.create(claim=claim, summary=HOSTILE, source=make_source())
    for html in (claim.verdict_summary_html, item.summary_html):
        assert "<strong>bold</strong>" in html
        assert "<script" not in html and "href" not in html
        assert "&lt;script&gt;" in html  # raw HTML is shown as text, never run

    claim.verdict_summary = "Now *emphasised*."
    claim.save(update_fields=["verdict_summary"])  # the HTML follows a partial save too
    item.summary = "Revised _evidence_."
    item.save(update_fields=["summary"])
    claim.refresh_from_db()
    item.refresh_from_db()
    assert claim.verdict_summary_html == "<p>Now <em>emphasised</em>.</p>"
    assert item.summary_html == "<p>Revised <em>evidence</em>.</p>"


@pytest.mark.django_db
def test_publish_and_preview_serve_the_stored_html_without_rendering_markdown_again(publisher):
    essay = reviewed_essay()
    claim = essay.claims["false"]
    # The stored HTML is what readers get; a publish does not render the Markdown again.
    Claim.objects.filter(pk=claim.pk).update(verdict_summary_html="<p>stored-summary</p>")
    CounterEvidence.objects.filter(claim=claim, approved=True).update(
        summary_html="<p>stored-evidence</p>"
    )
    preview = essay_render_preview(essay=essay).page.decode()
    page = bytes(
        essay_publish(essay=essay, actor=publisher, override_reason="test").page_identity
    ).decode()
    for html in (preview, page):
        assert "<p>stored-summary</p>" in html and "<p>stored-evidence</p>" in html
        assert "26,000</strong> departures" not in html


@pytest.mark.django_db
def test_rows_written_around_save_still_show_their_markdown(publisher):
    essay = big_essay(2)
    Claim.objects.update(verdict_summary_html="")  # as a bulk insert leaves them
    CounterEvidence.objects.update(summary_html="")
    page = essay_render_preview(essay=essay).page.decode()
    assert "<p>The log shows <em>fewer</em> than 1000 trucks.</p>" in page
    assert "<p>Log entry 1 for 1001 shows <strong>fewer</strong>.</p>" in page


@pytest.mark.django_db
def test_an_unapproved_verdicts_html_stays_out_of_the_page(publisher):
    essay = reviewed_essay()
    proposed = Claim.objects.get(pk=essay.claims["proposed"].pk)
    proposed.save()  # stores the HTML of the proposed (secret) summary
    assert "PROPOSED-verdict-summary" in Claim.objects.get(pk=proposed.pk).verdict_summary_html
    evidence(essay.claims["supported"], approved=False, summary="draft-only evidence text")
    page = bytes(
        essay_publish(essay=essay, actor=publisher, override_reason="test").page_identity
    ).decode()
    assert "PROPOSED-verdict-summary" not in page and "draft-only evidence" not in page


@pytest.mark.django_db(transaction=True)
def test_the_migration_stores_the_html_of_rows_written_before_it():
    claim = approve(make_claim(), summary="Counted *twice*.")
    item = CounterEvidence.objects.create(claim=claim, summary="**Log**", source=make_source())
    Claim.objects.update(verdict_summary_html="")
    CounterEvidence.objects.update(summary_html="")
    before = [
        ("essays", "0010_candidate_help_in_words"),
        ("review", "0017_reviewers_judge_quotation_checks"),
    ]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    claim.refresh_from_db()
    item.refresh_from_db()
    assert claim.verdict_summary_html == "<p>Counted <em>twice</em>.</p>"
    assert item.summary_html == "<p><strong>Log</strong></p>"
