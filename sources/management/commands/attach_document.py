"""manage.py attach_document URL FILE: store FILE as the document of the Source with that URL."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources.services import source_document_attach, source_get_or_create_for_url


class Command(BaseCommand):
    help = (
        "Store FILE (a saved web page, PDF, .docx or plain text) as the current document of "
        "the Source with this URL, creating the Source if there is none. Quotations citing "
        "the source are then checked against its text (manage.py check_quotations)."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", metavar="URL")
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, url: str, file: str, **options):
        path = Path(file)
        try:
            size = path.stat().st_size
            if size > settings.COUNTERPOINT_FETCH_MAX_BYTES:
                raise CommandError(
                    f"{path.name} is {size:,} bytes, over the "
                    f"{settings.COUNTERPOINT_FETCH_MAX_BYTES:,}-byte limit"
                )
            data = path.read_bytes()
        except OSError as error:
            message = f"{path.name}: cannot read the file ({error.strerror or error})"
            raise CommandError(message) from error
        try:
            source, created = source_get_or_create_for_url(url=url)
            document = source_document_attach(
                source=source,
                data=data,
                content_type=mimetypes.guess_type(path.name)[0],
                filename=path.name,
                actor=None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        words = len(document.text.split())
        self.stdout.write(
            f"{'Created' if created else 'Updated'} source {source.pk} ({source.url}): "
            f"{path.name}, {document.get_extraction_method_display().lower()}, "
            f"{words:,} words of text, sha256 {document.sha256[:12]}…"
        )
