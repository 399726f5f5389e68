"""An essay quoting every labelled quotation, its sources holding the fixture documents."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from essays.models import Essay, Quotation
from sources.models import Source
from sources.services import source_document_attach
from tests.factories import make_essay, make_quotation, make_section, make_source
from tests.quotecheck.labelled import DOCUMENTS, labels


@dataclass
class LabelledEssay:
    essay: Essay
    by_label: dict[str, Quotation]  # label id -> quotation
    sources: dict[str, Source]  # document name -> source
    unsourced: Quotation  # no source at all
    undocumented: Quotation  # a source without a document

    @property
    def expected(self) -> dict[int, str]:
        """Quotation id -> the label's status (no_text for the two extra quotations)."""
        wanted = {q.pk: row["status"] for row in labels() for q in [self.by_label[row["id"]]]}
        wanted[self.unsourced.pk] = wanted[self.undocumented.pk] = "no_text"
        return wanted


def source_url(document: str) -> str:
    return f"https://fixtures.example.org/{document}"


def build_labelled_essay() -> LabelledEssay:
    essay = make_essay(title="The harbour winter", slug="harbour-winter")
    by_document: dict[str, list[dict]] = {}
    for row in labels():
        by_document.setdefault(row["document"], []).append(row)
    by_label, sources = {}, {}
    for document, rows in by_document.items():
        body = " ".join(f"One said “{row['quote']}”, in the source." for row in rows)
        section = make_section(essay, heading=document, body=body)
        source = sources[document] = make_source(url=source_url(document), title=document)
        source_document_attach(
            source=source,
            data=(DOCUMENTS / document).read_bytes(),
            content_type=None,
            filename=document,
            actor=None,
        )
        for row in rows:
            by_label[row["id"]] = make_quotation(section, row["quote"], source=source)
    extra = make_section(
        essay, heading="Unchecked", body="A rumour said “the port is cursed” and “it is sold”."
    )
    unsourced = make_quotation(extra, "the port is cursed")
    undocumented = make_quotation(extra, "it is sold", source=make_source(title="No copy yet"))
    return LabelledEssay(essay, by_label, sources, unsourced, undocumented)


@pytest.fixture(scope="module")
def labelled_essay(django_db_setup, django_db_blocker):
    """``build_labelled_essay()`` once per module, rolled back at its end (see ``newsroom``)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_labelled_essay()
            transaction.set_rollback(True)
