"""Fixtures for the importer tests: the sample essays (parsed, as bytes, as text), the
answer key, and parsing the way every import interface does."""

import json
from pathlib import Path

import pytest

from essays.importer import ParsedEssay, parse_for_import, read_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "essays"
LONG = "long_siege.txt"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_text(text: str, filename: str = "essay.txt", **options):
    return parse_for_import(text.encode("utf-8"), filename=filename, **options)


@pytest.fixture(scope="session")
def long_essay() -> ParsedEssay:
    return read_file(FIXTURES / "long_siege.txt")


@pytest.fixture(scope="session")
def answer_key() -> dict:
    return json.loads((FIXTURES / "long_siege.expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def long_text() -> str:
    return fixture_bytes(LONG).decode("utf-8")


@pytest.fixture
def long_parsed(shipped_outlets):
    return parse_for_import(fixture_bytes(LONG), filename=LONG)
