"""Fixtures for the importer tests: the sample essays and the answer key."""

import json
from pathlib import Path

import pytest

from essays.importing import ParsedEssay, read_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "essays"


@pytest.fixture(scope="session")
def long_essay() -> ParsedEssay:
    return read_file(FIXTURES / "long_siege.txt")


@pytest.fixture(scope="session")
def answer_key() -> dict:
    return json.loads((FIXTURES / "long_siege.expected.json").read_text(encoding="utf-8"))
