"""File formats for spreadsheet exchange, with formula escaping that survives a round trip.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (and, in some
programs, a tab or carriage return) as a formula: a source title such as
`=HYPERLINK("http://evil.example", "click")` would become a live link or worse. On
export such cells get a leading apostrophe, the marker spreadsheet programs themselves
use for "this is text". On import the apostrophe is taken off again, so an exported file
imports back to exactly the same values. The escaping is a bijection: a value that
already starts with apostrophes followed by a trigger character gets one more.

JSON is read by programs, not spreadsheets, and keeps values verbatim.

XLSX stores text in XML, where a carriage return turns into a line feed when the file is
read back: text typed into a browser's text area ("\r\n" line breaks) would come back
changed. So XLSX cells carry a carriage return as OOXML's own escape `_x000D_` (which
Excel shows as a line break) and a literal `_xHHHH_` in the text as `_x005F_xHHHH_`. The
noncharacters U+FFFE and U+FFFF, which XML cannot hold at all (written raw, they make a
file no program can open), travel as `_xFFFE_` and `_xFFFF_` the same way.
"""

import re
from typing import Any

import tablib
from import_export.formats.base_formats import CSV, JSON, XLSX

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")


def escape_formula(value: Any) -> Any:
    """`value` with a leading apostrophe if a spreadsheet could read it as a formula."""
    if isinstance(value, str) and value.lstrip("'")[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def unescape_formula(value: Any) -> Any:
    """Undo `escape_formula`: unescape_formula(escape_formula(v)) == v for every v."""
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


_XLSX_ESCAPED = re.compile("[\r\ufffe\uffff]")


def encode_xlsx_text(value: Any) -> Any:
    """Text as an XLSX cell stores it without loss: carriage returns as `_x000D_`, and
    the noncharacters XML forbids as `_xFFFE_`, `_xFFFF_`."""
    if not isinstance(value, str):
        return value
    value = _OOXML_ESCAPE.sub(r"_x005F\g<0>", value)
    return _XLSX_ESCAPED.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def decode_xlsx_text(value: Any) -> Any:
    """Undo OOXML `_xHHHH_` escapes, as Excel does when it shows a cell. Escapes are UTF-16
    code units, so a character beyond U+FFFF arrives as two (`_xD83D__xDE00_`): a pair
    becomes its one character; a lone half stays, for the import to refuse by name."""
    if not isinstance(value, str):
        return value
    value = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
    return _SURROGATE_PAIR.sub(
        lambda m: m.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), value
    )


def _map_cells(dataset: tablib.Dataset, func) -> tablib.Dataset:
    mapped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        mapped.append([func(cell) for cell in row])
    return mapped


class SpreadsheetCSV(CSV):
    """CSV whose exported cells cannot run as formulas."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, escape_formula), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), unescape_formula)


class SpreadsheetXLSX(XLSX):
    """XLSX whose text cells cannot run as formulas (openpyxl writes `=…` as a formula)."""

    def export_data(self, dataset, **kwargs):
        cells = _map_cells(dataset, lambda value: encode_xlsx_text(escape_formula(value)))
        return super().export_data(cells, **kwargs)

    def create_dataset(self, in_stream):
        dataset = super().create_dataset(in_stream)
        return _map_cells(dataset, lambda value: unescape_formula(decode_xlsx_text(value)))


# The order is the admin's format menu; names are what the command line accepts.
FORMATS = [SpreadsheetCSV, SpreadsheetXLSX, JSON]
FORMATS_BY_NAME = {"csv": SpreadsheetCSV, "xlsx": SpreadsheetXLSX, "json": JSON}


def format_named(name: str):
    """An instance of the format called `name` ("csv", "xlsx" or "json"), or KeyError."""
    return FORMATS_BY_NAME[name.lower().lstrip(".")](encoding="utf-8-sig")
