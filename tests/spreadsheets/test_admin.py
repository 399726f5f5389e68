"""Import and export in the admin: who may, the preview, the confirmation, and escaping."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from sources.models import Outlet, Source
from spreadsheets.exchange import resource_named
from spreadsheets.widgets import join_names
from tests.factories import make_claim, make_essay, make_outlet, make_section, make_source
from tests.spreadsheets.conftest import FORMULAS
from tests.spreadsheets.helpers import (
    SHEET_MODELS,
    admin_url,
    csv_bytes,
    csv_rows,
    export,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

CSV, XLSX, JSON = "0", "1", "2"  # positions in the admin's format menu


def upload(client, model: str, data: bytes, *, name: str = "sheet.csv", file_format: str = CSV):
    return client.post(
        admin_url(model, "import"),
        {"resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, data)},
    )


def confirm(client, model: str, preview):
    form = preview.context["confirm_form"]
    return client.post(admin_url(model, "process_import"), form.initial)


# -- who may ----------------------------------------------------------------------------

IMPORTERS = {
    "editor": set(SHEET_MODELS) - {"counterevidence"},
    "reviewer": set(),
    "publisher": set(SHEET_MODELS),
}


@pytest.mark.parametrize("role", sorted(IMPORTERS))
@pytest.mark.parametrize("model", SHEET_MODELS)
def test_only_editors_and_publishers_may_import_and_every_role_may_export(
    client, request, role, model
):
    client.force_login(request.getfixturevalue(role))
    may_import = model in IMPORTERS[role]
    assert client.get(admin_url(model, "import")).status_code == (200 if may_import else 403)
    assert client.get(admin_url(model, "export")).status_code == 200
    changelist = client.get(admin_url(model, "changelist")).content.decode()
    assert (admin_url(model, "import") in changelist) is may_import
    assert admin_url(model, "export") in changelist


def test_staff_without_a_role_may_neither_import_nor_export(client):
    from tests.factories import make_user

    client.force_login(make_user())
    assert client.get(admin_url("source", "import")).status_code == 403
    assert client.get(admin_url("source", "export")).status_code == 403


# -- preview and confirmation ------------------------------------------------------------


def test_the_preview_writes_nothing_and_the_confirmation_writes_everything(client, editor):
    client.force_login(editor)
    data = csv_bytes(
        [
            {"name": "Meridian Wire", "aliases": "MW", "kind": "wire"},
            {"name": "Sarran Daily", "aliases": "", "kind": "website"},
        ]
    )
    preview = upload(client, "outlet", data)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert [row.import_type for row in result.rows] == ["new", "new"]
    assert "confirm_form" in preview.context
    assert not Outlet.objects.exists()

    done = confirm(client, "outlet", preview)
    assert done.status_code == 302
    assert sorted(Outlet.objects.values_list("name", flat=True)) == [
        "Meridian Wire",
        "Sarran Daily",
    ]
    assert "Import finished: 2 new, 0 updated" in str(list(get_messages(done.wsgi_request))[0])


def test_the_preview_lists_errors_per_row_and_offers_no_confirmation(client, editor):
    client.force_login(editor)
    data = csv_bytes(
        [
            {"url": "https://a.example.org/1", "title": "One", "outlet": "Daily Planet"},
            {"url": "https://a.example.org/2", "title": "Two", "published_on": "May 3"},
        ]
    )
    preview = upload(client, "source", data)
    html = preview.content.decode()
    assert "confirm_form" not in preview.context
    assert "Unknown outlet “Daily Planet”" in html
    assert "“May 3” is not a date" in html
    assert not Source.objects.exists()


def test_a_file_with_wrong_columns_is_refused_with_a_message_not_a_traceback(client, editor):
    client.force_login(editor)
    preview = upload(client, "outlet", b"titel,kind\nX,wire\n")
    html = preview.content.decode()
    assert "Unknown column “titel”" in html
    assert "Traceback" not in html and "ImportRefused" not in html
    assert "confirm_form" not in preview.context


def test_if_the_data_changed_before_confirmation_nothing_is_written(client, editor):
    client.force_login(editor)
    preview = upload(client, "outlet", csv_bytes([{"name": "Meridian Wire"}, {"name": "MW2"}]))
    make_outlet(name="Wire Service", aliases=["MW2"])  # someone else, meanwhile

    done = confirm(client, "outlet", preview)

    assert done.status_code == 302 and done["Location"] == admin_url("outlet", "import")
    message = str(list(get_messages(done.wsgi_request))[0])
    assert message.startswith("Import failed; nothing was written. Row 2, name:")
    assert list(Outlet.objects.values_list("name", flat=True)) == ["Wire Service"]


@pytest.mark.parametrize("file_format, name", [(XLSX, "sheet.xlsx"), (JSON, "sheet.json")])
def test_xlsx_and_json_uploads_import_too(client, publisher, desk, file_format, name):
    from spreadsheets.exchange import export_bytes

    client.force_login(publisher)
    data = export_bytes(resource_named("source"), file_format=name.rsplit(".")[1])
    preview = upload(client, "source", data, name=name, file_format=file_format)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}


@override_settings(COUNTERPOINT_IMPORT_MAX_BYTES=64)
def test_an_oversized_upload_is_refused_with_a_clear_message(client, editor):
    client.force_login(editor)
    preview = upload(client, "outlet", b"name\n" + b"x" * 100 + b"\n")
    assert preview.status_code == 200
    assert "imports are limited to 64\xa0bytes" in preview.content.decode()
    assert "result" not in preview.context or preview.context["result"] is None


@override_settings(COUNTERPOINT_IMPORT_MAX_ROWS=1)
def test_too_many_rows_are_refused_with_a_clear_message(client, editor):
    client.force_login(editor)
    preview = upload(client, "outlet", b"name\nA\nB\n")
    assert (
        "The file has more than 1 rows; imports are limited to 1 rows" in preview.content.decode()
    )
    assert not Outlet.objects.exists()


# -- export ------------------------------------------------------------------------------


def export_form(model: str, file_format: str) -> dict:
    resource_class = resource_named(model)
    data = {"format": file_format, "resource": "0"}
    for name in resource_class().get_export_order():
        data[f"{resource_class.__name__.lower()}_{name}"] = "on"
    return data


def test_a_reviewer_downloads_sources_as_escaped_utf8_csv(client, reviewer, desk):
    client.force_login(reviewer)
    response = client.post(admin_url("source", "export"), export_form("source", CSV))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    titles = {row["title"] for row in csv_rows(response.content)}
    assert "'" + FORMULAS[0] in titles


def test_admin_xlsx_export_has_no_formula_cells(client, editor, desk):
    import io

    import openpyxl

    client.force_login(editor)
    response = client.post(admin_url("claim", "export"), export_form("claim", XLSX))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


# -- markup in cells is text, in the preview too ----------------------------------------------


def payload(column: str) -> str:
    return f'<script>alert("{column}")</script>'


def xss_rows(model: str) -> tuple[list[dict], list[dict]]:
    """(a valid row with markup in every free-text column, rows with markup in references)."""
    p = payload
    if model == "outlet":
        return [
            {
                "name": p("name"),
                "aliases": p("aliases"),
                "kind": "wire",
                "country": p("country"),
                "homepage": "https://example.org/?q=" + p("homepage"),
            }
        ], [{"name": "X", "kind": p("kind")}]
    if model == "person":
        return [
            {
                "slug": "",
                "name": p("name"),
                "aliases": p("aliases"),
                "affiliation": p("affiliation"),
                "description": p("description"),
            }
        ], [{"slug": p("slug"), "name": "X"}]
    if model == "source":
        make_outlet(name="Meridian Wire")
        return [
            {
                "url": "https://example.org/" + p("url"),
                "title": p("title"),
                "outlet": "Meridian Wire",
                "archived_url": "https://archive.example.org/" + p("archived_url"),
                "tags": p("tags"),
                "notes": p("notes"),
                "published_on": "",
            }
        ], [
            {
                "url": "https://example.org/b",
                "title": "B",
                "outlet": p("outlet"),
                "authors": p("authors"),
                "published_on": p("published_on"),
            }
        ]
    body = f"Intro {p('text')} and {p('exact')} end {p('prefix')}."
    section = make_section(make_essay(slug="xss"), body=body)
    if model == "quotation":
        return [{"essay": "xss", "section": "0", "text": p("text")}], [
            {"essay": p("essay"), "section": "0", "text": "x", "speaker": p("speaker")},
            {"essay": "xss", "section": "0", "text": "Intro", "source": p("source")},
        ]
    if model == "claim":
        return [
            {
                "essay": "xss",
                "section": "0",
                "exact": p("exact"),
                "prefix": p("prefix"),
                "suffix": p("suffix"),
                "statement": p("statement"),
                "short_statement": p("short"),
                "verdict_summary": p("verdict_summary"),
            }
        ], [{"essay": "xss", "section": "0", "exact": "Intro", "status": p("status")}]
    make_claim(section, exact=p("exact"))
    make_source(url="https://example.org/s")
    return [
        {
            "essay": "xss",
            "claim": p("exact"),
            "source": "https://example.org/s",
            "summary": p("summary"),
        }
    ], [{"essay": "xss", "claim": p("claim"), "source": "https://example.org/s", "summary": "s"}]


@pytest.mark.parametrize("model", SHEET_MODELS)
def test_markup_in_any_cell_is_escaped_in_the_preview_and_stored_as_text(client, superuser, model):
    client.force_login(superuser)
    valid, invalid = xss_rows(model)

    preview = upload(client, model, csv_bytes(valid))
    html = preview.content.decode()
    assert "confirm_form" in preview.context, html
    for column in valid[0]:
        if "<script>" in valid[0][column]:
            assert payload(column) not in html, column
            assert "&lt;script&gt;alert(" in html
    done = confirm(client, model, preview)
    assert done.status_code == 302
    stored = "\n".join(str(v) for row in csv_rows(export(model)) for v in row.values())
    resource = resource_named(model)
    for column in resource.internal_columns:  # left out of exports: read them from the rows
        stored += "\n" + "\n".join(resource._meta.model.objects.values_list(column, flat=True))
    for column, value in valid[0].items():
        if value.startswith("<script>"):
            # Kept verbatim, as text (list cells quote names that contain quotes).
            assert value in stored or join_names([value]) in stored, column

    refused = upload(client, model, csv_bytes(invalid))
    html = refused.content.decode()
    assert "confirm_form" not in refused.context
    assert "&lt;script&gt;alert(" in html
    for row in invalid:
        for column, value in row.items():
            if "<script>" in value:
                assert payload(column) not in html, column


def test_an_rtl_override_in_a_cell_cannot_reorder_the_rest_of_its_preview_diff(client, editor):
    from tests.security.pages import assert_bidi_contained, parse

    make_outlet(name="Meridian Wire", country="Qadirra")
    client.force_login(editor)
    # The diff shows "Qa" kept, the override added, "dirra" kept, " east" added: left
    # open, the override would show the kept and added runs after it reversed.
    preview = upload(
        client, "outlet", csv_bytes([{"name": "Meridian Wire", "country": "Qa\u202edirra east"}])
    )
    html = preview.content.decode()
    assert "confirm_form" in preview.context
    assert "\u202e" in html
    assert_bidi_contained(parse(html), where="import preview")
    # Added text is marked by class and styled by a stylesheet: the CSP drops style="".
    assert '<ins class="diff-added">' in html and "<ins style" not in html
    assert "admin-extra/import-preview.css" in html


SURROGATE_XLSX = xlsx_bytes([["url", "title", "outlet"], ["https://a.org/", "A", "_xD800_"]])


@pytest.mark.parametrize(
    "file_format, name, data",
    [
        (XLSX, "sheet.xlsx", SURROGATE_XLSX),
        (JSON, "sheet.json", b'[{"url": "https://a.org/", "title": "A", "outlet": "\\ud800"}]'),
    ],
)
def test_a_lone_surrogate_in_a_cell_is_refused_in_the_preview_not_a_server_error(
    client, editor, file_format, name, data
):
    # "Unknown outlet “\ud800”" cannot be encoded as UTF-8: the preview answered 500.
    client.force_login(editor)
    preview = upload(client, "source", data, name=name, file_format=file_format)
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context
    html = preview.content.decode()
    assert "Row 1, outlet: the cell holds half of a UTF-16 surrogate pair" in html
    assert not Source.objects.exists()


def test_internal_notes_leave_the_admin_export_only_when_ticked_by_who_may(
    client, editor, publisher
):
    from tests.factories import make_source

    make_source(title="Ministry figures", notes="Call the ministry back before using it.")
    secret = b"Call the ministry back"
    for user in (editor, publisher):
        client.force_login(user)
        form = client.get(admin_url("source", "export")).content.decode()
        assert 'name="include_internal"' in form
        plain = client.post(admin_url("source", "export"), export_form("source", CSV))
        assert plain.status_code == 200 and secret not in plain.content
    client.force_login(editor)
    asked = export_form("source", CSV) | {"include_internal": "on"}
    assert client.post(admin_url("source", "export"), asked).status_code == 403
    client.force_login(publisher)
    response = client.post(admin_url("source", "export"), asked)
    assert response.status_code == 200 and secret in response.content
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.startswith(
        '"INTERNAL: this file holds Counterpoint'
    ) or first_line.startswith("INTERNAL:")
    # A model without internal fields offers no such box.
    assert (
        'name="include_internal"' not in client.get(admin_url("outlet", "export")).content.decode()
    )
