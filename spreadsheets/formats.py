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

import csv
import io
import json
import re
import zipfile
from typing import Any
from xml.etree import ElementTree

import tablib
from import_export.formats.base_formats import CSV, JSON, XLSX

from spreadsheets.limits import (
    ImportRefused,
    bounded_rows,
    max_scanned_rows,
    row_count_problem,
    scanned_rows_problem,
    unzipped_size_problem,
)

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


# A file exported with internal fields says so before anything else: CSV and XLSX in their
# first row (XLSX also in its document properties), JSON in its first element. Imports
# skip that notice, so such a file still imports back.
INTERNAL_PREFIX = "INTERNAL:"


def internal_notice(columns) -> str:
    return (
        f"{INTERNAL_PREFIX} this file holds Counterpoint's internal fields "
        f"({', '.join(columns)}); keep it inside the newsroom."
    )


def mark_internal(data: bytes, file_format: str, columns) -> bytes:
    """`data` (an exported file) with the internal-fields notice in front."""
    notice = internal_notice(columns)
    if file_format == "csv":
        line = io.StringIO()
        csv.writer(line).writerow([notice])
        bom = "\ufeff".encode()
        body = data.removeprefix(bom)
        return (bom if data.startswith(bom) else b"") + line.getvalue().encode() + body
    if file_format == "json":
        return json.dumps([{"INTERNAL": notice}, *json.loads(data)], ensure_ascii=False).encode()
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    book.active.insert_rows(1)
    book.active["A1"] = notice
    book.properties.subject = book.properties.keywords = notice
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _without_notice(rows):
    """`rows` without a leading internal-fields notice row."""
    first = True
    for row in rows:
        cells = [c for c in row if c not in (None, "")]
        if first and cells:
            first = False
            if len(cells) == 1 and str(cells[0]).startswith(INTERNAL_PREFIX):
                continue
        yield row


def _dataset(header: list, rows: list[list], func) -> tablib.Dataset:
    """A dataset of `rows` under `header`, each cell through `func`; short rows padded."""
    width = len(header)
    dataset = tablib.Dataset(headers=["" if h is None else str(h) for h in header])
    for row in rows:
        if len(row) > width:
            raise ImportRefused(
                f"A row has {len(row)} cells but the header names {width} columns. "
                "Every value needs a column name in the first row."
            )
        dataset.append([func(cell) for cell in row] + [""] * (width - len(row)))
    return dataset


class SpreadsheetCSV(CSV):
    """CSV whose exported cells cannot run as formulas."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_map_cells(dataset, escape_formula), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        """Read row by row and stop at the first limit, before anything is built."""
        if isinstance(in_stream, bytes):  # decoded as it is read, not copied whole
            text = io.TextIOWrapper(
                io.BytesIO(in_stream), encoding=self.encoding or "utf-8-sig", newline=""
            )
        else:
            text = io.StringIO(in_stream.removeprefix("\ufeff"), newline="")
        header, rows = bounded_rows(_without_notice(csv.reader(text)))
        return _dataset(header, rows, unescape_formula)


class SpreadsheetXLSX(XLSX):
    """XLSX whose text cells cannot run as formulas (openpyxl writes `=…` as a formula)."""

    def export_data(self, dataset, **kwargs):
        cells = _map_cells(dataset, lambda value: encode_xlsx_text(escape_formula(value)))
        return super().export_data(cells, **kwargs)

    def create_dataset(self, in_stream):
        """Check the unpacked size, then read the first sheet row by row (openpyxl's
        read-only mode), stopping at the first limit."""
        import openpyxl

        with zipfile.ZipFile(io.BytesIO(in_stream)) as archive:
            problem = unzipped_size_problem(sum(i.file_size for i in archive.infolist()))
            if problem:
                raise ImportRefused(problem)
            _count_sheet_rows(archive)
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = book.active.iter_rows(values_only=True)
            header, data = bounded_rows(_without_notice(rows))
        finally:
            book.close()
        return _dataset(header, data, lambda value: unescape_formula(decode_xlsx_text(value)))


def _count_sheet_rows(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook with more rows than an import may read, before openpyxl opens it.

    openpyxl reads a whole sheet to size it when the file does not say its size, so a
    small file of millions of empty rows would take minutes there. Counting <row>
    elements as they stream past stops at the limit instead.
    """
    rows = 0
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(name) as sheet:
            for _, element in ElementTree.iterparse(sheet, events=("end",)):
                if element.tag.endswith("}row"):
                    rows += 1
                    if rows > max_scanned_rows():
                        raise ImportRefused(scanned_rows_problem())
                element.clear()


class SpreadsheetJSON(JSON):
    """JSON: a list of objects, its length checked before a dataset is built."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8")
        rows = json.loads(in_stream)
        if isinstance(rows, list):
            if rows and isinstance(rows[0], dict) and set(rows[0]) == {"INTERNAL"}:
                rows = rows[1:]
                in_stream = json.dumps(rows)
            problem = row_count_problem(len(rows))
            if problem:
                raise ImportRefused(problem)
        return super().create_dataset(in_stream, **kwargs)


# The order is the admin's format menu; names are what the command line accepts.
FORMATS = [SpreadsheetCSV, SpreadsheetXLSX, SpreadsheetJSON]
FORMATS_BY_NAME = {"csv": SpreadsheetCSV, "xlsx": SpreadsheetXLSX, "json": SpreadsheetJSON}


def format_named(name: str):
    """An instance of the format called `name` ("csv", "xlsx" or "json"), or KeyError."""
    return FORMATS_BY_NAME[name.lower().lstrip(".")](encoding="utf-8-sig")
