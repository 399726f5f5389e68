"""manage.py check_quotations: check quotations against their sources' documents."""

from __future__ import annotations

import json
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from essays.models import Essay
from review.models import QuotationCheck, QuotationCheckStatus
from review.quotecheck_services import current_documents, quotations_check, quotations_to_check
from sources.fetching import FetchError
from sources.services import source_document_fetch

FAILING = {QuotationCheckStatus.ALTERED, QuotationCheckStatus.NOT_FOUND}


class Command(BaseCommand):
    help = (
        "Check each quotation against its source's document: verbatim, edited (marked "
        "ellipses and brackets), altered, not found, or no source text. Prints a summary "
        "table (or JSON with --json) and exits with status 1 when a quotation is altered "
        "or not found, so it can run in CI."
    )

    def add_arguments(self, parser):
        parser.add_argument("--essay", metavar="SLUG", help="Only this essay's quotations.")
        parser.add_argument(
            "--fetch",
            action="store_true",
            help="First fetch the document of every cited source that has a URL but none yet.",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print a JSON list, one object per quotation."
        )

    def handle(self, *args, essay: str | None, fetch: bool, json: bool, **options):
        chosen = None
        if essay:
            chosen = Essay.objects.filter(slug=essay).first()
            if chosen is None:
                raise CommandError(f"no essay with the slug {essay!r}")
        quotations = list(quotations_to_check(essay=chosen))
        if fetch:
            self._fetch_missing(quotations)
        checks = quotations_check(quotations=quotations)
        if json:
            self.stdout.write(self._json(quotations, checks))
        else:
            self._table(quotations, checks)
        failing = [c for c in checks if c.effective_status in FAILING]
        if failing:
            raise CommandError(
                f"{len(failing)} of {len(checks)} quotations altered or not found", returncode=1
            )

    def _fetch_missing(self, quotations) -> None:
        sources = {q.source_id: q.source for q in quotations if q.source_id and q.source.url}
        have = current_documents(sources)
        for source_id, source in sources.items():
            if source_id in have:
                continue
            try:
                document = source_document_fetch(source=source, actor=None)
            except (FetchError, ValidationError) as error:
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else error
                self.stderr.write(f"could not fetch {source.url}: {message}")
            else:
                self.stderr.write(f"fetched {source.url} ({document.byte_size:,} bytes)")

    def _json(self, quotations, checks: list[QuotationCheck]) -> str:
        rows = [
            {
                "quotation": quotation.pk,
                "text": quotation.text,
                "source_url": (quotation.source.url or None) if quotation.source_id else None,
                "status": check.effective_status,
                "changes": [
                    {"quoted": change["quoted"], "original": change["original"]}
                    for change in check.changes
                ],
            }
            for quotation, check in zip(quotations, checks, strict=True)
        ]
        return json.dumps(rows, ensure_ascii=False, indent=2)

    def _table(self, quotations, checks: list[QuotationCheck]) -> None:
        write = self.stdout.write
        write(f"{'id':>6}  {'status':<10}  {'quotation':<48}  what differs")
        for quotation, check in zip(quotations, checks, strict=True):
            text = " ".join(quotation.text.split())
            text = text if len(text) <= 48 else text[:47] + "…"
            differs = "; ".join(
                f"“{c['quoted']}” for “{c['original']}”"
                if c["quoted"] and c["original"]
                else (f"added “{c['quoted']}”" if c["quoted"] else f"dropped “{c['original']}”")
                for c in check.changes
            )
            status = check.effective_status + ("*" if check.override_status else "")
            write(f"{quotation.pk:>6}  {status:<10}  {text:<48}  {differs}")
        counts = Counter(check.effective_status for check in checks)
        write(
            f"{len(checks)} quotations: "
            + ", ".join(f"{counts[s]} {s.label.lower()}" for s in QuotationCheckStatus)
        )
        if any(check.override_status for check in checks):
            write("* a reviewer's override")
