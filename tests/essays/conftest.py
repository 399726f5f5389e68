"""Fixtures for saving imports: the sample essays as bytes, and the shipped outlets."""

import importlib
from pathlib import Path

import pytest
from django.apps import apps

from essays.imports import parse_for_import
from sources.models import Outlet

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "essays"
LONG = "long_siege.txt"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_text(text: str, filename: str = "essay.txt", **options):
    return parse_for_import(text.encode("utf-8"), filename=filename, **options)


def load_shipped_outlets_into_db() -> None:
    migration = importlib.import_module("sources.migrations.0002_load_shipped_outlets")
    migration.load_outlets(apps, None)


@pytest.fixture
def shipped_outlets(db):
    """The outlets the data migration loads (back again if a transactional test flushed them)."""
    if not Outlet.objects.filter(name="Al Jazeera").exists():
        load_shipped_outlets_into_db()


@pytest.fixture
def long_text() -> str:
    return fixture_bytes(LONG).decode("utf-8")


@pytest.fixture
def long_parsed(shipped_outlets):
    return parse_for_import(fixture_bytes(LONG), filename=LONG)
