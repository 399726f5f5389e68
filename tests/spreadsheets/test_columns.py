"""The columns of each sheet: what they export, which ones import, and where they are listed.

Quotations carry `speaker_description`, editable and checked as the admin form
checks it.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from import_export.results import RowResult

from essays.models import Quotation
from spreadsheets.exchange import read_dataset, resource_named
from spreadsheets.resources import row_errors
from tests.factories import make_essay, make_section
from tests.spreadsheets.conftest import SPOKESMAN
from tests.spreadsheets.helpers import (
    FORMATS,
    SHEET_MODELS,
    csv_rows,
    export,
    import_csv,
    snapshot,
)

pytestmark = pytest.mark.django_db


def totals(result) -> tuple[int, int, int]:
    t = result.totals
    return (
        t[RowResult.IMPORT_TYPE_NEW],
        t[RowResult.IMPORT_TYPE_UPDATE],
        t[RowResult.IMPORT_TYPE_SKIP],
    )


def exported_rows(model: str, file_format: str) -> list[dict]:
    """A sheet as the rows a partner's program reads back from the file."""
    return read_dataset(export(model, file_format), file_format=file_format).dict


# -- the documented columns are the sheets' columns ----------------------------------------


def documented_columns() -> dict[str, list[str]]:
    """{model: columns in order} from the tables under "### Name (`model`)" in the docs."""
    text = (Path(settings.BASE_DIR) / "docs" / "spreadsheets.md").read_text()
    found: dict[str, list[str]] = {}
    for model, table in re.findall(r"^### .*\(`(\w+)`\)\n\n((?:\|.*\n)+)", text, re.M):
        rows = table.splitlines()[2:]  # below the header and its rule
        found[model] = [name for row in rows for name in re.findall(r"`(\w+)`", row.split("|")[1])]
    return found


def test_every_sheets_columns_are_documented_in_their_export_order():
    sheets = {
        model: [f.column_name for f in resource_named(model)().get_export_fields()]
        for model in SHEET_MODELS
    }
    assert documented_columns() == sheets


# -- quotations: speaker_description, editable ------------------------------------------------


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_quotation_sheet_exports_the_speaker_description_as_stored(desk, file_format):
    rows = exported_rows("quotation", file_format)
    described = [(row["text"], row["speaker_description"]) for row in rows]
    assert described.count(("we are forty people with notebooks", SPOKESMAN)) == 1
    assert all(
        description in ("", None) for text, description in described if description != SPOKESMAN
    )


@pytest.mark.parametrize(
    "cell",
    [
        SPOKESMAN,
        "  a rebel spokesman\n",
        "\u00a0" + SPOKESMAN + "\u00a0",
        "a “senior” official\u00a0in Sarran",
        "",
    ],
)
def test_an_imported_speaker_description_is_stored_as_the_admin_form_would_save_it(cell):
    section = make_section(make_essay(slug="the-quiet"))
    admin_form_field = Quotation._meta.get_field("speaker_description").formfield()

    result = import_csv(
        "quotation",
        [
            {
                "essay": "the-quiet",
                "section": "0",
                "text": "the road is open",
                "speaker_description": cell,
            }
        ],
    )

    assert row_errors(result) == []
    quotation = Quotation.objects.get(section=section)
    assert quotation.speaker_description == admin_form_field.clean(cell)


def test_a_speaker_description_the_admin_would_refuse_as_too_long_is_refused_on_its_row():
    make_section(make_essay(slug="the-quiet"))
    result = import_csv(
        "quotation",
        [
            {"essay": "the-quiet", "section": "0", "text": "the road is open"},
            {
                "essay": "the-quiet",
                "section": "0",
                "text": "40,000 people left",
                "speaker_description": "ا" * 301,
            },
        ],
    )
    assert row_errors(result) == [
        "Row 2, speaker_description: Ensure this value has at most 300 characters (it has 301)."
    ]
    assert not Quotation.objects.exists()


def test_editing_a_speaker_description_in_the_sheet_updates_that_quotation_only(desk):
    rows = csv_rows(export("quotation"))
    described = next(row for row in rows if row["speaker_description"])
    described["speaker_description"] = "المتحدث الرسمي"
    named = next(row for row in rows if row["speaker"] == "Amal al-Haddad")
    named["speaker_description"] = "the minister, “speaking freely”"

    result = import_csv("quotation", rows)

    assert row_errors(result) == []
    assert totals(result) == (0, 2, len(rows) - 2)
    assert sorted(Quotation.objects.values_list("speaker_description", flat=True)) == sorted(
        ["", "the minister, “speaking freely”", "المتحدث الرسمي"]
    )


def test_a_quotation_sheet_without_the_column_leaves_descriptions_alone(desk):
    """Files exported before the column existed import as before."""
    rows = csv_rows(export("quotation"))
    for row in rows:
        del row["speaker_description"]
    before = snapshot()

    result = import_csv("quotation", rows)

    assert row_errors(result) == [] and totals(result) == (0, 0, len(rows))
    assert snapshot() == before
    assert Quotation.objects.filter(speaker_description=SPOKESMAN).count() == 1
