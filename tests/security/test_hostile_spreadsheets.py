"""Hostile text through the spreadsheet imports, out through every public page.

Each property writes hostile text (the payloads, characters and very long strings of
test_hostile_input, plus cells that start like a spreadsheet formula) into the text
columns of one importable sheet, as CSV or as XLSX, and imports it the way a user does:
uploaded in the admin (preview, then confirm) by a Publisher, or with `manage.py
import_data --user`. Each sheet updates a row of the published essay's world and adds
one. The property holds when:

- no request answers 500, and the import preview and its error pages are inert and keep
  RTL overrides inside the cell or message they came in (`pages`);
- the import saves every row as typed (what CSV and XLSX promise, docs/spreadsheets.md),
  or refuses with errors that name the row (and the column), and writes nothing at all;
- the saved rows export as CSV and XLSX with no cell a spreadsheet would run as a formula
  (= + - @ tab CR), and the CSV export reads back to exactly what is stored;
- once the essay is published, its public pages are inert and bidi-contained and its
  feeds well-formed (`test_hostile_input.publish_and_read`).

The XLSX files are written as Excel writes them: text cells, with the characters XML
cannot hold (control characters, NUL, carriage return, U+FFFE, U+FFFF) as `_xHHHH_`
escapes. A file written by hand can also carry one Excel never writes, `_xD800_`: a lone
surrogate, like JSON's "\\ud800", is not text, and has its own tests in tests/spreadsheets
(test_import_rules, test_admin).

Budget: 6 examples per sheet and format (72 in all), 12 to 15 s per database. They are
counted in the session's "hostile input: N hypothesis examples run" line as "sheet: …".
"""

from __future__ import annotations

import io
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from essays.models import Claim, Quotation, Section
from review.choices import ClaimStatus, Verdict
from review.models import CounterEvidence
from sources.models import Outlet, Person, Source
from spreadsheets.exchange import export_bytes, import_bytes, resource_named
from spreadsheets.formats import FORMULA_TRIGGERS, format_named, unescape_formula
from spreadsheets.resources import row_errors
from spreadsheets.widgets import join_names, split_names
from tests.factories import make_source
from tests.security.conftest import BODY
from tests.security.pages import assert_bidi_contained, assert_inert
from tests.security.test_hostile_input import (
    HOSTILE_SETTINGS,
    count,
    form_values,
    hostile,
    publish_and_read,
    url,
)
from tests.spreadsheets.conftest import FORMULAS
from tests.spreadsheets.helpers import admin_url, csv_bytes, csv_rows, export, snapshot

pytestmark = pytest.mark.django_db

SHEET_SETTINGS = settings(HOSTILE_SETTINGS, max_examples=6)  # per sheet and format

# Cells a spreadsheet would run, cells that look escaped already, list cells with quotes
# and commas, and the characters XLSX must escape.
SHEET_PAYLOADS = [
    *FORMULAS,
    "'=1+1",
    "''@SUM(A1)",
    '"a, b", "c""d", ,, a',
    "_x000D_ _x005F_ _xD800_",
    "\ufffe\uffff",
    "\x0c\x1f\r",
    "\x00",  # refused on its row and column, as in the admin's forms
]
LEADS = st.sampled_from(["", "", "", "", "=", "+", "-", "@", "\t", "\r", "'", "'="])
sheet_hostile = st.tuples(LEADS, st.one_of(hostile, st.sampled_from(SHEET_PAYLOADS))).map("".join)


def cell(max_length: int | None = None) -> st.SearchStrategy[str]:
    """Hostile cell text, cut to the column's length (longer ones are `form_values`' job)."""
    return sheet_hostile if max_length is None else sheet_hostile.map(lambda s: s[:max_length])


# Words an editor wrote into the essay, for the sheet to quote or check: typed into a
# form, which refuses NUL.
essay_text = sheet_hostile.map(lambda s: s.replace("\x00", ""))


def one_wrong(columns: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[dict]:
    """In one example in three, hostile text in one of the columns that must name
    something (a reference, a choice, a date, a number): the row is then refused."""
    some_column = st.sampled_from(list(columns)).flatmap(
        lambda column: columns[column].map(lambda value: {column: value})
    )
    return st.sampled_from([False, False, True]).flatmap(
        lambda wrong: some_column if wrong else st.just({})
    )


# How the file gets in: uploaded in the admin, or given to the command. (Each property
# runs once per file format, CSV and XLSX, so both always are.)
PATHS = st.sampled_from(["admin", "command"])
FORMATS = pytest.mark.parametrize("file_format", ["csv", "xlsx"])


# --- writing the files ------------------------------------------------------------------

_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def excel_text(value: str) -> str:
    """`value` as Excel stores it in a cell: `_xHHHH_` for what XML cannot hold, and
    `_x005F_` in front of text that would read as such an escape."""
    value = _OOXML_ESCAPE.sub(r"_x005F\g<0>", value)
    return _NOT_IN_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def excel_bytes(rows: list[dict]) -> bytes:
    """An XLSX file of `rows` as Excel saves what was typed into it."""
    book = openpyxl.Workbook()
    sheet = book.active
    headers = list(rows[0])
    sheet.append(headers)
    for row in rows:
        sheet.append([excel_text(row[column]) for column in headers])
    for line in sheet.iter_rows(min_row=2):
        for text_cell in line:
            text_cell.data_type = "s"  # typed text, never a formula (openpyxl reads "=…" so)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_bytes(rows: list[dict], file_format: str) -> bytes:
    return csv_bytes(rows) if file_format == "csv" else excel_bytes(rows)


# --- importing the way users do ----------------------------------------------------------

ADMIN_FORMATS = {"csv": "0", "xlsx": "1"}  # positions in the admin's format menu
ROW_NAMED = re.compile(r"Row \d+(, [a-z_]+)?: ")


def assert_admin_page(response, *, where: str):
    """Inert, and every RTL override kept inside its cell or message. (Decoded first: admin
    pages carry their charset only in the header, which html5lib would not see.)"""
    soup = assert_inert(response.content.decode(), where=where)
    assert_bidi_contained(soup, where=where)
    return soup


def assert_refused_by_its_checks(result) -> None:
    """Every problem names its row (and column), and none is an exception that escaped
    the checks (a database error): those name no column and differ between databases."""
    assert result.has_errors() or result.has_validation_errors()
    assert not result.error_rows, row_errors(result)
    assert_named_by_row(row_errors(result))


def assert_named_by_row(problems: list[str]) -> None:
    assert problems, "refused without a reason"
    for problem in problems:
        assert ROW_NAMED.match(problem), problem


def import_in_admin(client, model: str, data: bytes, file_format: str) -> bool:
    """Upload, check the preview, confirm if it offers to; True if the rows were saved."""
    upload = SimpleUploadedFile(f"sheet.{file_format}", data)
    preview = client.post(
        admin_url(model, "import"),
        {"resource": "0", "format": ADMIN_FORMATS[file_format], "import_file": upload},
    )
    assert preview.status_code == 200, preview.status_code
    soup = assert_admin_page(preview, where="import preview")
    result = preview.context["result"]
    if "confirm_form" not in preview.context:
        assert_refused_by_its_checks(result)
        shown = soup.select(".validation-error-list")  # one list of errors per refused row
        assert len(shown) == len(result.invalid_rows)
        return False
    assert not result.has_errors() and not result.has_validation_errors()
    done = client.post(
        admin_url(model, "process_import"), preview.context["confirm_form"].initial, follow=True
    )
    assert done.status_code == 200, done.status_code
    assert done.redirect_chain[-1][0] == admin_url(model, "changelist"), done.redirect_chain
    assert_inert(done.content.decode(), where="after the import")
    message = str(list(get_messages(done.wsgi_request))[0])
    assert message.startswith("Import finished"), message
    return True


def import_on_command_line(importer: Importer, model: str, data: bytes, file_format: str) -> bool:
    path = importer.folder / f"sheet.{file_format}"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    try:
        user = ["--user", importer.user.username]
        call_command("import_data", model, str(path), *user, stdout=out, stderr=err)
    except CommandError as error:
        assert "nothing was written" in str(error), error
        # Cells can hold line breaks, so only the first problem is sure to start a line;
        # the result the command printed tells checks from exceptions.
        assert_named_by_row(err.getvalue().splitlines()[:1])
        resource = resource_named(model)
        assert_refused_by_its_checks(
            import_bytes(resource, data=data, file_format=file_format, dry_run=True)
        )
        return False
    assert re.search(r"\d+ new, \d+ updated", out.getvalue()), out.getvalue()
    return True


# What a column stores from a cell: text as typed (after the apostrophe that marks
# formula-like text is taken off), trimmed names, or a list of names.
def as_text(value: str) -> str:
    return unescape_formula(value)


def trimmed(value: str) -> str:
    return unescape_formula(value).strip()


def names(value: str) -> str:
    return join_names(split_names(unescape_formula(value)))


def filled_text(value: str) -> str | None:
    """Text that is made up when the cell is blank (claim prefix, suffix): compared if given."""
    return unescape_formula(value) or None


STORED = {
    "outlet": {"name": trimmed, "aliases": names, "country": trimmed, "homepage": trimmed},
    "person": {"name": trimmed, "aliases": names, "affiliation": trimmed, "description": as_text},
    "source": {"url": trimmed, "title": trimmed, "archived_url": trimmed, "notes": as_text},
    "quotation": {"text": as_text, "speaker_description": trimmed},
    "claim": {
        "exact": trimmed,
        "prefix": filled_text,
        "suffix": filled_text,
        "statement": as_text,
        "short_statement": as_text,
        "verdict_summary": as_text,
    },
    "counterevidence": {"summary": as_text},
}


class _Trusted:
    def has_perm(self, perm: str) -> bool:
        return True


def assert_every_row_stored(model: str, rows: list[dict]) -> None:
    """Each row's text is in the sheet exactly as the import promises to store it."""
    # JSON is written verbatim; internal columns too, asked for on purpose (the shell is
    # trusted as a staff member with every permission), after the file's notice.
    data = export_bytes(
        resource_named(model), file_format="json", include_internal=True, user=_Trusted()
    )
    exported = [line for line in json.loads(data) if set(line) != {"INTERNAL"}]
    for row in rows:
        expected = {column: store(row[column]) for column, store in STORED[model].items()}
        expected = {column: value for column, value in expected.items() if value is not None}
        assert any(
            all(line[column] == value for column, value in expected.items()) for line in exported
        ), (model, expected)


def assert_exports_run_no_formula(model: str) -> None:
    """No exported cell starts with = + - @ tab or CR; the CSV loses nothing, the XLSX
    only the control characters it cannot hold (written as U+FFFD)."""
    verbatim = json.loads(export(model, "json"))
    lines = csv_rows(export(model, "csv"))
    for line in lines:
        for column, value in line.items():
            assert value[:1] not in FORMULA_TRIGGERS, (model, column, value)
    assert [{c: unescape_formula(v) for c, v in line.items()} for line in lines] == verbatim

    xlsx = export(model, "xlsx")
    for line in openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows():
        for exported in line:
            assert exported.data_type != "f", (model, exported.value)
            if isinstance(exported.value, str):
                assert exported.value[:1] not in FORMULA_TRIGGERS, (model, exported.value)
    read_back = format_named("xlsx").create_dataset(xlsx).dict
    for line, original in zip(read_back, verbatim, strict=True):
        for column in STORED[model]:
            if column not in original:  # internal: not in a default export
                continue
            assert (line[column] or "") == ILLEGAL_CHARACTERS_RE.sub("\ufffd", original[column])


@dataclass
class Importer:
    """A Publisher (the role that may import all six sheets): in the admin, and at a shell."""

    client: Client
    user: AbstractBaseUser
    folder: Path


@pytest.fixture
def importer(client, publisher, tmp_path) -> Importer:
    client.force_login(publisher)
    return Importer(client=client, user=publisher, folder=tmp_path)


@contextmanager
def rolled_back():
    """Run one example in a savepoint that is undone after it: examples stay independent."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def import_sheet(importer: Importer, model: str, rows: list[dict], file_format, path) -> bool:
    """Import `rows` as a file; True if every row was saved, False if it was refused
    (then nothing at all was written). Checks the pages and exports on the way."""
    data = sheet_bytes(rows, file_format)
    before = snapshot()
    if path == "admin":
        saved = import_in_admin(importer.client, model, data, file_format)
    else:
        saved = import_on_command_line(importer, model, data, file_format)
    if not saved:
        assert snapshot() == before, "a refused import wrote something"
        return False
    assert_every_row_stored(model, rows)
    assert_exports_run_no_formula(model)
    return True


def read_public_pages(world) -> None:
    """Publish, and read every public page as a reader: in a client of its own, as the
    importer stays logged in to the admin."""
    publish_and_read(Client(), world)


# --- the sheets -------------------------------------------------------------------------


@FORMATS
@SHEET_SETTINGS
@given(
    values=form_values(
        {
            "aliases": cell(),
            "country": cell(100),
            "homepage": url(500),
            "name": cell(200),
            "new_aliases": cell(),
        }
    ),
    wrong=one_wrong({"kind": cell(20)}),
    path=PATHS,
)
def test_outlet_sheet(importer, world, values, wrong, file_format, path):
    count("sheet: outlets")
    rows = [
        {
            "name": world["outlet"].name,
            "aliases": values["aliases"],
            "kind": wrong.get("kind", "wire"),
            "country": values["country"],
            "homepage": values["homepage"],
        },
        {
            "name": values["name"],
            "aliases": values["new_aliases"],
            "kind": "",
            "country": "",
            "homepage": "",
        },
    ]
    with rolled_back():
        if import_sheet(importer, "outlet", rows, file_format, path):
            # Readers meet outlets where quotations name them: make it the one quoted via.
            added = Outlet.objects.exclude(pk=world["outlet"].pk).latest("pk")
            Quotation.objects.filter(pk=world["quotation"].pk).update(via=added)
            read_public_pages(world)


@FORMATS
@SHEET_SETTINGS
@given(
    values=form_values(
        {
            "name": cell(200),
            "aliases": cell(),
            "affiliation": cell(300),
            "description": cell(),
            "new_name": cell(200),
        }
    ),
    wrong=one_wrong({"slug": cell(200)}),
    path=PATHS,
)
def test_person_sheet(importer, world, values, wrong, file_format, path):
    count("sheet: people")
    rows = [
        {
            "slug": world["person"].slug,
            "name": values["name"],
            "aliases": values["aliases"],
            "affiliation": values["affiliation"],
            "description": values["description"],
        },
        {
            "slug": wrong.get("slug", ""),
            "name": values["new_name"],
            "aliases": "",
            "affiliation": "",
            "description": values["description"],
        },
    ]
    with rolled_back():
        if import_sheet(importer, "person", rows, file_format, path):
            added = Person.objects.exclude(pk=world["person"].pk).latest("pk")
            world["source"].authors.add(added)
            read_public_pages(world)


@FORMATS
@SHEET_SETTINGS
@given(
    values=form_values(
        {
            "title": cell(500),
            "archived_url": url(),
            "tags": cell(),
            "notes": cell(),
            "new_url": url(),
            "new_title": cell(500),
        }
    ),
    wrong=one_wrong({"outlet": cell(), "authors": cell(), "published_on": cell(20)}),
    path=PATHS,
)
def test_source_sheet(importer, world, values, wrong, file_format, path):
    count("sheet: sources")
    rows = [
        {
            "url": world["source"].url,
            "title": values["title"],
            "outlet": wrong.get("outlet", world["outlet"].name),
            "authors": wrong.get("authors", world["person"].name),
            "kind": "",
            "published_on": wrong.get("published_on", "2024-05-03"),
            "archived_url": values["archived_url"],
            "tags": values["tags"],
            "notes": values["notes"],
        },
        {
            "url": values["new_url"],
            "title": values["new_title"],
            "outlet": world["outlet"].name,
            "authors": "",
            "kind": "report",
            "published_on": "",
            "archived_url": "",
            "tags": values["tags"],
            "notes": "",
        },
    ]
    with rolled_back():
        if import_sheet(importer, "source", rows, file_format, path):
            added = Source.objects.exclude(pk=world["source"].pk).latest("pk")
            CounterEvidence.objects.create(
                claim=world["claim"], source=added, summary="Also this.", approved=True, position=1
            )
            read_public_pages(world)


def put_in_body(world, words: str) -> None:
    """An editor wrote `words` into the world's section (text to quote or to check)."""
    Section.objects.filter(pk=world["section"].pk).update(body=BODY + " " + words + ".")


@FORMATS
@SHEET_SETTINGS
@given(
    values=form_values({"words": essay_text, "speaker_description": cell(300)}),
    wrong=one_wrong(
        {
            "essay": cell(100),
            "text": cell(),
            "speaker": cell(),
            "source": cell(),
            "via": cell(),
            "emphasis_added": cell(10),
        }
    ),
    path=PATHS,
)
def test_quotation_sheet(importer, world, values, wrong, file_format, path):
    count("sheet: quotations")
    essay = world["essay"].slug
    rows = [
        {
            "essay": essay,
            "section": "0",
            "start": str(world["quotation"].start),
            "end": str(world["quotation"].end),
            "text": world["quotation"].text,
            "speaker": wrong.get("speaker", world["person"].name),
            "speaker_description": "",
            "source": world["source"].url,
            "via": wrong.get("via", ""),
            "emphasis_added": wrong.get("emphasis_added", "yes"),
        },
        {
            "essay": wrong.get("essay", essay),
            "section": "0",
            "start": "",
            "end": "",
            "text": wrong.get("text", values["words"]),
            "speaker": world["person"].slug,
            "speaker_description": values["speaker_description"],
            "source": wrong.get("source", world["source"].url),
            "via": world["outlet"].name,
            "emphasis_added": "",
        },
    ]
    with rolled_back():
        put_in_body(world, values["words"])
        if import_sheet(importer, "quotation", rows, file_format, path):
            read_public_pages(world)


@FORMATS
@SHEET_SETTINGS
@given(
    values=form_values(
        {
            "statement": cell(),
            "short_statement": cell(75),
            "verdict_summary": cell(),
            "words": essay_text,
            "prefix": st.one_of(st.just(""), cell(64)),
            "suffix": st.one_of(st.just(""), cell(64)),
        }
    ),
    wrong=one_wrong({"status": cell(20), "exact": cell(), "check_worthiness": cell(20)}),
    path=PATHS,
)
def test_claim_sheet(importer, world, values, wrong, file_format, path):
    count("sheet: claims")
    essay = world["essay"].slug
    rows = [
        {
            "essay": essay,
            "section": "0",
            "exact": world["claim"].exact,
            "prefix": "",
            "suffix": "",
            "statement": values["statement"],
            "short_statement": values["short_statement"],
            "verdict_summary": values["verdict_summary"],
            "check_worthiness": "",
            "status": wrong.get("status", "approved"),
        },
        {
            "essay": essay,
            "section": "0",
            "exact": wrong.get("exact", values["words"]),
            "prefix": values["prefix"],
            "suffix": values["suffix"],
            "statement": values["statement"],
            "short_statement": values["short_statement"],
            "verdict_summary": values["verdict_summary"],
            "check_worthiness": wrong.get("check_worthiness", "0.5"),
            "status": "",
        },
    ]
    with rolled_back():
        put_in_body(world, values["words"])
        if import_sheet(importer, "claim", rows, file_format, path):
            # The review workflow owns verdicts: give the new claim its public state directly.
            Claim.objects.exclude(pk=world["claim"].pk).update(
                status=ClaimStatus.APPROVED, verdict=Verdict.MISLEADING
            )
            read_public_pages(world)


@FORMATS
@SHEET_SETTINGS
@given(
    values=form_values({"summary": cell(), "new_summary": cell()}),
    wrong=one_wrong({"stance": cell(20), "claim": cell(), "source": cell(), "position": cell(10)}),
    same_source=st.sampled_from([False, False, True]),
    path=PATHS,
)
def test_counter_evidence_sheet(importer, world, values, wrong, same_source, file_format, path):
    count("sheet: counter-evidence")
    essay = world["essay"].slug
    rows = [
        {
            "essay": essay,
            "claim": world["claim"].exact,
            "source": world["source"].url,
            "stance": wrong.get("stance", "context"),
            "position": "0",
            "summary": values["summary"],
        },
        {
            "essay": essay,
            "claim": wrong.get("claim", world["claim"].exact),
            # By title (the first row names the world's source by URL): another source, or
            # the same one again, which must not overwrite the first row.
            "source": wrong.get("source", world["source"].title if same_source else "Monitor"),
            "stance": "",
            "position": wrong.get("position", "1"),
            "summary": values["new_summary"],
        },
    ]
    with rolled_back():
        make_source(title="Monitor", url="")
        if import_sheet(importer, "counterevidence", rows, file_format, path):
            CounterEvidence.objects.update(approved=True)  # a publisher's decision, in the app
            read_public_pages(world)
