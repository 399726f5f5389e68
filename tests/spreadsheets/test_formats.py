"""Exported cells never run as spreadsheet formulas, and escaping never loses a character."""

import io
import json

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spreadsheets.formats import (
    FORMULA_TRIGGERS,
    decode_xlsx_text,
    encode_xlsx_text,
    escape_formula,
    format_named,
    unescape_formula,
)
from tests.spreadsheets.conftest import FORMULAS
from tests.spreadsheets.helpers import SHEET_MODELS, csv_rows, export

awkward_text = st.text(alphabet=st.sampled_from("=+-@\t\r\n'\"_x0D5Fa ,ح"), max_size=12) | st.text()


@given(awkward_text)
def test_formula_escaping_is_reversible_and_leaves_no_trigger_in_front(value):
    escaped = escape_formula(value)
    assert unescape_formula(escaped) == value
    assert escaped[:1] not in FORMULA_TRIGGERS


@given(awkward_text)
def test_xlsx_text_encoding_is_reversible_and_has_no_carriage_return(value):
    encoded = encode_xlsx_text(value)
    assert "\r" not in encoded
    assert decode_xlsx_text(encoded) == value


def test_an_escaped_surrogate_pair_in_xlsx_reads_as_its_one_character():
    # OOXML escapes are UTF-16 code units: U+1F600 is written _xD83D__xDE00_.
    assert decode_xlsx_text("Ayşe _xD83D__xDE00_ «ok»") == "Ayşe \U0001f600 «ok»"
    assert decode_xlsx_text("_xD800_ alone") == "\ud800 alone"  # refused by the import


@pytest.mark.parametrize("value", FORMULAS)
def test_every_trigger_character_gets_an_apostrophe(value):
    assert escape_formula(value) == "'" + value


def test_harmless_values_are_untouched():
    for value in ["Reuters", "'tis the season", "2023-03-13", 12, -3, None, ""]:
        assert escape_formula(value) == value


@pytest.mark.django_db
@pytest.mark.parametrize("model", SHEET_MODELS)
def test_no_csv_cell_starts_with_a_formula_trigger(desk, model):
    for row in csv_rows(export(model, "csv")):
        for value in row.values():
            assert value[:1] not in FORMULA_TRIGGERS, (model, value)


@pytest.mark.django_db
def test_formula_text_is_written_escaped_in_csv(desk):
    titles = [row["title"] for row in csv_rows(export("source", "csv"))]
    assert "'" + FORMULAS[0] in titles and "'" + FORMULAS[1] in titles


@pytest.mark.django_db
@pytest.mark.parametrize("model", SHEET_MODELS)
def test_no_xlsx_cell_is_a_formula(desk, model):
    book = openpyxl.load_workbook(io.BytesIO(export(model, "xlsx")))  # formulas kept as such
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (model, cell.value)
            if isinstance(cell.value, str):
                assert cell.value[:1] not in FORMULA_TRIGGERS, (model, cell.value)


@pytest.mark.django_db
def test_xlsx_keeps_numbers_and_dates_as_native_cells(desk):
    book = openpyxl.load_workbook(io.BytesIO(export("claim", "xlsx")))
    header = [c.value for c in next(book.active.iter_rows())]
    first = [c.value for c in next(book.active.iter_rows(min_row=2))]
    row = dict(zip(header, first, strict=True))
    assert isinstance(row["start"], int) and isinstance(row["section"], int)


@pytest.mark.django_db
def test_json_keeps_values_verbatim(desk):
    rows = json.loads(export("source", "json"))
    assert {row["title"] for row in rows} >= {FORMULAS[0], FORMULAS[1]}


@pytest.mark.django_db
def test_csv_starts_with_a_byte_order_mark_so_spreadsheets_read_utf8(desk):
    data = export("outlet", "csv")
    assert data.startswith("\ufeff".encode())
    assert "قناة النهار" in data.decode("utf-8-sig")


@pytest.mark.django_db
def test_noncharacters_xml_cannot_hold_export_to_an_xlsx_that_reads_back(desk):
    # U+FFFE and U+FFFF are valid text (a form accepts them) but not XML characters:
    # written raw, they made an XLSX file nothing can open, this app included.
    from sources.models import Source

    Source.objects.filter(url="").update(title="Coast \ufffe history \uffff")
    data = export("source", "xlsx")
    titles = [row[1] for row in openpyxl.load_workbook(io.BytesIO(data)).active.values]
    assert "Coast _xFFFE_ history _xFFFF_" in titles
    dataset = format_named("xlsx").create_dataset(data)
    assert "Coast \ufffe history \uffff" in dataset["title"]
