"""The labelled quotations (fixtures/labels.json) and their documents' extracted text."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from sources.documents import extract_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DOCUMENTS = FIXTURES / "documents"


@functools.cache
def labels() -> tuple[dict, ...]:
    return tuple(json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8")))


@functools.cache
def document_text(name: str) -> str:
    return extract_text((DOCUMENTS / name).read_bytes(), filename=name).text


def labelled(status: str) -> list[dict]:
    return [row for row in labels() if row["status"] == status]
