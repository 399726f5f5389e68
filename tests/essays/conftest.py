"""Fixtures for saving imports: the sample essays as bytes, and the shipped outlets."""

from pathlib import Path

import pytest
from django.apps import apps

from essays.imports import parse_for_import
from sources.models import Outlet
from sources.shipped import load_shipped_outlets_into_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "essays"
LONG = "long_siege.txt"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_text(text: str, filename: str = "essay.txt", **options):
    return parse_for_import(text.encode("utf-8"), filename=filename, **options)


@pytest.fixture
def shipped_outlets(db):
    """The outlets the data migration loads (back again if a transactional test flushed them)."""
    if not Outlet.objects.filter(name="Al Jazeera").exists():
        load_shipped_outlets_into_db(apps)


@pytest.fixture
def long_text() -> str:
    return fixture_bytes(LONG).decode("utf-8")


@pytest.fixture
def long_parsed(shipped_outlets):
    return parse_for_import(fixture_bytes(LONG), filename=LONG)
