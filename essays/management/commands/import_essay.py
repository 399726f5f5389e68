"""manage.py import_essay PATH: parse an essay file and save it (or only show the parse)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from essays.importer import FORMATS, EssayImportError, ParsedEssay, parse_for_import, save_import
from essays.importer.decoding import check_size
from essays.models import Essay
from essays.selectors import checked_before

# Files at least this big get a progress bar even when stderr is not a terminal.
LONG_FILE_BYTES = 1024 * 1024
STEPS = ["read", "parse", "essay", "outlets, people and sources", "sections", "existing claims",
         "quotations", "claim candidates", "search index"]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Import an essay from a text, Markdown or HTML file. Re-importing a file with the "
        "same canonical URL updates that essay and keeps its claims. --dry-run --json "
        "prints the parse result and saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH")
        parser.add_argument("--format", choices=["auto", *FORMATS], default="auto")
        parser.add_argument("--dry-run", action="store_true", help="Parse only; save nothing.")
        parser.add_argument(
            "--json",
            action="store_true",
            help="Machine-readable output: the parse result with --dry-run, else what was saved.",
        )
        parser.add_argument("--author", metavar="NAME", help="Overrides the byline in the file.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Who imports (recorded as the essay's creator and in its history).",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        actor = self._actor(options["user"])
        try:
            size = path.stat().st_size
        except OSError as error:
            self._fail(f"{path.name}: cannot read the file ({error.strerror or error})")
        with self._progress(size) as bar:
            bar.set_description("read")
            try:
                check_size(
                    size, max_bytes=settings.COUNTERPOINT_IMPORT_MAX_BYTES, filename=path.name
                )
                data = path.read_bytes()
                bar.update()
                bar.set_description("parse")
                parsed = parse_for_import(
                    data, filename=path.name, format=options["format"], author=options["author"]
                )
                bar.update()
                if options["dry_run"]:
                    bar.close()
                    self._print_dry_run(parsed, as_json=options["json"])
                    return
                result = save_import(
                    parsed=parsed,
                    actor=actor,
                    source_name=path.name,
                    progress=lambda label: (bar.set_description(label), bar.update()),
                )
            except EssayImportError as error:
                bar.close()
                self._fail(str(error))
            bar.update(bar.total - bar.n)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(result.summary())
        self.stdout.write(f"Admin: /admin/essays/essay/{result.essay.pk}/change/")
        for warning in result.warnings:
            self.stdout.write(f"warning: {warning}")

    def _actor(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user

    def _progress(self, size: int) -> tqdm:
        show = sys.stderr.isatty() or size >= LONG_FILE_BYTES
        return tqdm(total=len(STEPS), file=sys.stderr, disable=not show, unit="step", leave=False)

    def _fail(self, message: str):
        """Report an import error as "file, line N: message" and exit non-zero."""
        self.stderr.write(message)
        sys.exit(1)

    def _print_dry_run(self, parsed: ParsedEssay, *, as_json: bool) -> None:
        if as_json:
            data = parsed.to_json_dict()
            itself = (
                Essay.objects.filter(canonical_url=parsed.canonical_url)
                .values_list("pk", flat=True)
                .first()
                if parsed.canonical_url
                else None
            )
            for section in data["sections"]:
                for claim in section["claims"]:
                    # Reviewed claims of other essays saying the same (an added key).
                    claim["checked_before"] = checked_before(claim["text"], exclude_essay_id=itself)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        quotations, claims = parsed.quotations, parsed.claims
        lines = [
            f"Title: {parsed.title}",
            f"Byline: {parsed.author or '—'}",
            f"Canonical URL: {parsed.canonical_url or '—'}",
            f"Originally published: {parsed.published_on or '—'}",
            f"Format: {parsed.format}",
            f"{len(parsed.sections)} sections, {len(quotations)} quotations "
            f"({sum(1 for q in quotations if q.repeat_of is not None)} repeats), "
            f"{len(claims)} claim candidates, {len(parsed.dropped_lines)} dropped lines",
        ]
        for section in parsed.sections:
            lines.append(
                f"  § {section.heading or '(introduction)'}: {len(section.paragraphs)} "
                f"paragraphs, {len(section.quotations)} quotations, {len(section.claims)} "
                "candidates"
            )
        lines += [f"dropped: {line}" for line in parsed.dropped_lines]
        lines += [f"warning: {warning}" for warning in parsed.warnings]
        lines.append("Dry run: nothing was saved.")
        self.stdout.write("\n".join(lines))
