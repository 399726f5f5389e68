"""The columns of each sheet: what they export, which ones import, and where they are listed.

Quotations carry `speaker_description`, editable and checked as the admin form
checks it. Claims carry `anchor_lost`, export-only like status, verdict and approved:
a cell that differs from Counterpoint is refused on its row and column, because the
flag belongs to the essay importer and a typed-over cell would hide or invent a problem.
Claims also carry `reviewed_on`, information like assigned_to and version: ignored on
import. No sheet carries reviewer notes.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from essays.models import Claim, Quotation
from essays.resources import claim_import_anchor_errors
from spreadsheets.exchange import read_dataset, resource_named
from spreadsheets.resources import row_errors
from spreadsheets.widgets import StrictBooleanWidget
from tests.factories import make_essay, make_note, make_section, make_user
from tests.spreadsheets.conftest import LOST_WORDS, SPOKESMAN
from tests.spreadsheets.helpers import (
    FORMATS,
    SHEET_MODELS,
    csv_bytes,
    csv_rows,
    export,
    import_csv,
    snapshot,
    totals,
)

pytestmark = pytest.mark.django_db


def exported_rows(model: str, file_format: str) -> list[dict]:
    """A sheet as the rows a partner's program reads back from the file."""
    return read_dataset(export(model, file_format), file_format=file_format).dict


def is_yes(cell) -> bool:
    return bool(StrictBooleanWidget().clean(cell))


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
        model: [
            f.column_name for f in resource_named(model)(include_internal=True).get_export_fields()
        ]
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


# -- claims: anchor_lost, export-only and refused when it differs ------------------------------


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_claim_sheet_flags_the_claims_whose_anchor_is_lost(desk, file_format):
    rows = exported_rows("claim", file_format)
    assert [row["exact"] for row in rows if is_yes(row["anchor_lost"])] == [LOST_WORDS]
    assert len(rows) == Claim.objects.count()
    lost = next(row for row in rows if row["exact"] == LOST_WORDS)
    # Where the re-import left it: the closest match, which is not the claim's words.
    assert (int(lost["start"]), int(lost["end"])) == (140, 152)


def test_in_csv_anchor_lost_is_1_or_0(desk):
    cells = {row["exact"]: row["anchor_lost"] for row in csv_rows(export("claim"))}
    assert cells.pop(LOST_WORDS) == "1"
    assert set(cells.values()) == {"0"}


def claim_sheet_with(exact: str, **cells) -> tuple[list[dict], int]:
    """The exported claim sheet with `cells` changed in the row of `exact`, and its number."""
    rows = csv_rows(export("claim"))
    number = next(i for i, row in enumerate(rows, 1) if row["exact"] == exact)
    rows[number - 1].update(cells)
    return rows, number


@pytest.mark.parametrize(
    "exact, cell, message",
    [
        (
            LOST_WORDS,
            "0",
            "This claim's words were not found when its essay was re-imported; an import "
            "cannot clear anchor_lost. Fix the anchor on the claim's page in Counterpoint, "
            "which clears it.",
        ),
        (
            "40,000 people left",
            "yes",
            "This claim's anchor is not lost in Counterpoint; an import cannot set "
            "anchor_lost. Only re-importing the essay sets it.",
        ),
        ("40,000 people left", "maybe", "“maybe” is not yes or no; write 1 or 0."),
    ],
)
def test_an_import_can_neither_clear_nor_set_anchor_lost(desk, exact, cell, message):
    rows, number = claim_sheet_with(exact, anchor_lost=cell, statement="Edited in the sheet")
    before = snapshot()

    result = import_csv("claim", rows)

    assert row_errors(result) == [f"Row {number}, anchor_lost: {message}"]
    assert snapshot() == before
    assert list(Claim.objects.filter(anchor_lost=True).values_list("exact", flat=True)) == [
        LOST_WORDS
    ]


def test_a_new_claim_cannot_be_imported_with_its_anchor_lost():
    make_section(make_essay(slug="the-quiet"))
    result = import_csv(
        "claim",
        [{"essay": "the-quiet", "section": "0", "exact": "40,000 people left", "anchor_lost": "1"}],
    )
    assert row_errors(result) == [
        "Row 1, anchor_lost: A new claim cannot be imported with its anchor lost: its words "
        "must stand in the section. Only re-importing the essay sets anchor_lost."
    ]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("cell", ["1", "", "TRUE"])
def test_a_claim_with_a_lost_anchor_is_still_edited_when_the_cell_agrees_or_is_blank(desk, cell):
    rows, _ = claim_sheet_with(LOST_WORDS, anchor_lost=cell, statement="Ras Hilal reopened.")

    result = import_csv("claim", rows)

    assert row_errors(result) == [] and totals(result) == (0, 1, len(rows) - 1)
    claim = Claim.objects.get(exact=LOST_WORDS)
    assert (claim.statement, claim.anchor_lost, claim.start, claim.end) == (
        "Ras Hilal reopened.",
        True,
        140,
        152,
    )


def test_a_new_claim_may_be_imported_with_its_anchor_not_lost():
    make_section(make_essay(slug="the-quiet"))
    result = import_csv(
        "claim",
        [{"essay": "the-quiet", "section": "0", "exact": "40,000 people left", "anchor_lost": "0"}],
    )
    assert row_errors(result) == []
    assert Claim.objects.get().anchor_lost is False


def test_the_anchor_lost_rule_table():
    assert claim_import_anchor_errors(current=None, anchor_lost=None) == []
    assert claim_import_anchor_errors(current=None, anchor_lost=False) == []
    assert claim_import_anchor_errors(current=True, anchor_lost=True) == []
    assert claim_import_anchor_errors(current=True, anchor_lost=None) == []
    assert claim_import_anchor_errors(current=False, anchor_lost=False) == []
    assert claim_import_anchor_errors(current=None, anchor_lost=True)
    assert claim_import_anchor_errors(current=True, anchor_lost=False)
    assert claim_import_anchor_errors(current=False, anchor_lost=True)


def test_import_data_lists_a_changed_anchor_lost_by_row_and_column(desk, tmp_path):
    rows, number = claim_sheet_with(LOST_WORDS, anchor_lost="0")
    path = tmp_path / "claims.csv"
    path.write_bytes(csv_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_data", "claim", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"Row {number}, anchor_lost: This claim's words were not found when its essay was "
        "re-imported; an import cannot clear anchor_lost. Fix the anchor on the claim's page "
        "in Counterpoint, which clears it."
    ]
    assert Claim.objects.get(exact=LOST_WORDS).anchor_lost


# -- claims: reviewed_on, information only ---------------------------------------------------


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_claim_sheet_gives_the_day_the_verdict_was_approved(desk, file_format):
    rows = exported_rows("claim", file_format)
    days = {row["exact"]: row["reviewed_on"] for row in rows if row["reviewed_on"]}
    (day,) = days.values()
    assert list(days) == ["412 violations were logged"]
    # A date cell in XLSX, YYYY-MM-DD text in CSV and JSON.
    assert (day.date().isoformat() if file_format == "xlsx" else day) == "2024-09-20"


@override_settings(TIME_ZONE="Asia/Beirut")
def test_reviewed_on_is_the_day_in_the_sites_time_zone(desk):
    """23:30 UTC is 02:30 the next day in Beirut: the day the ClaimReview feed gives too."""
    rows = csv_rows(export("claim"))
    assert [row["reviewed_on"] for row in rows if row["reviewed_on"]] == ["2024-09-21"]


def test_information_columns_are_ignored_on_import(desk):
    """reviewed_on, assigned_to and version are the workflow's; a changed cell changes nothing."""
    rows = csv_rows(export("claim"))
    for row in rows:
        row.update(reviewed_on="1999-01-01", assigned_to="someone-else", version="99")
    before = snapshot()

    result = import_csv("claim", rows)

    assert row_errors(result) == [] and totals(result) == (0, 0, len(rows))
    assert snapshot() == before


# -- what no sheet carries -----------------------------------------------------------------------


def test_no_sheet_carries_reviewer_notes_or_who_proposed_a_verdict(desk):
    """Notes are internal and never leave the admin; sheets are swapped with partners."""
    proposer = make_user("Reviewer", username="proposer-kept-inside")
    claim = Claim.objects.get(exact="412 violations were logged")
    Claim.objects.filter(pk=claim.pk).update(verdict_proposed_by=proposer)
    make_note(claim, body="Internal: the Monitor's figure is unconfirmed", author=proposer)

    for model in SHEET_MODELS:
        for file_format in FORMATS:
            cells = [str(v) for row in exported_rows(model, file_format) for v in row.values()]
            assert not any("Monitor's figure" in cell for cell in cells), (model, file_format)
            assert not any("proposer-kept-inside" in cell for cell in cells), (model, file_format)
