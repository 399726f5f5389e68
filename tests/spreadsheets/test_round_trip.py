"""Exporting a sheet and importing it again changes nothing, in every format, on every database."""

import pytest
from import_export.results import RowResult

from essays.models import Quotation
from review.models import CounterEvidence
from sources.models import Outlet, Person, Source
from spreadsheets.exchange import export_bytes, import_bytes, resource_named
from spreadsheets.resources import row_errors
from tests.spreadsheets.helpers import FORMATS, SHEET_MODELS, csv_rows, export, import_csv, snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("model", SHEET_MODELS)
def test_export_then_import_reports_nothing_new_or_updated_and_changes_nothing(
    desk, model, file_format
):
    resource_class = resource_named(model)
    expected_rows = resource_class._meta.model.objects.count()
    assert expected_rows >= 2
    before = snapshot()

    data = export_bytes(resource_class, file_format=file_format)
    result = import_bytes(resource_class, data=data, file_format=file_format, dry_run=False)

    assert row_errors(result) == []
    assert result.totals[RowResult.IMPORT_TYPE_NEW] == 0
    assert result.totals[RowResult.IMPORT_TYPE_UPDATE] == 0
    assert result.totals[RowResult.IMPORT_TYPE_SKIP] == expected_rows
    assert snapshot() == before


# What must go before a table can be emptied (PROTECT foreign keys), in order.
CLEAR_FIRST = {
    "outlet": [CounterEvidence, Quotation, Source, Outlet],
    "person": [Quotation, Person],
    "source": [CounterEvidence, Quotation, Source],
    "quotation": [Quotation],
}


@pytest.mark.parametrize("model", sorted(CLEAR_FIRST))
def test_an_exported_sheet_rebuilds_its_rows_in_an_emptied_table(desk, model):
    """The natural keys and references in a sheet are enough to recreate every row."""
    data = export(model)
    exported = sorted(csv_rows(data), key=repr)
    for table in CLEAR_FIRST[model]:
        table.objects.all().delete()

    result = import_bytes(resource_named(model), data=data, file_format="csv", dry_run=False)

    assert row_errors(result) == []
    assert result.totals[RowResult.IMPORT_TYPE_NEW] == len(exported)
    assert sorted(csv_rows(export(model)), key=repr) == exported


def test_editing_one_cell_updates_exactly_that_row(desk):
    rows = csv_rows(export("outlet"))
    target = next(row for row in rows if row["name"] == "Qanat al-Nahar")
    target["country"] = "Qadirra"
    before = snapshot()

    result = import_csv("outlet", rows)

    assert result.totals[RowResult.IMPORT_TYPE_UPDATE] == 1
    assert result.totals[RowResult.IMPORT_TYPE_SKIP] == len(rows) - 1
    after = snapshot()
    assert after["Outlet"] != before["Outlet"]
    assert Outlet.objects.get(name="Qanat al-Nahar").country == "Qadirra"


@pytest.mark.parametrize("model", SHEET_MODELS)
def test_the_demo_desk_round_trips_through_xlsx(db, model):
    """The demo's essays, with their curly quotes, Arabic and bylines, survive a round trip."""
    from demo.loader import load_demo

    load_demo()
    before = snapshot()
    resource_class = resource_named(model)
    data = export_bytes(resource_class, file_format="xlsx")
    result = import_bytes(resource_class, data=data, file_format="xlsx", dry_run=False)
    assert row_errors(result) == []
    assert (
        result.totals[RowResult.IMPORT_TYPE_NEW] == result.totals[RowResult.IMPORT_TYPE_UPDATE] == 0
    )
    assert (
        result.totals[RowResult.IMPORT_TYPE_SKIP] == resource_class._meta.model.objects.count() > 0
    )
    assert snapshot() == before
