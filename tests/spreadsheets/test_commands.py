"""`manage.py export_data` and `import_data`: scripted exchange under the admin's rules."""

import io
import json
import subprocess
import sys

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from sources.models import Outlet, Source
from tests.factories import make_outlet
from tests.spreadsheets.conftest import FORMULAS
from tests.spreadsheets.helpers import SHEET_MODELS, csv_bytes, csv_rows, snapshot

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("model", SHEET_MODELS)
def test_export_then_import_from_the_command_line_changes_nothing(desk, tmp_path, model):
    before = snapshot()
    for file_format in ("csv", "xlsx", "json"):
        path = tmp_path / f"{model}.{file_format}"
        run("export_data", model, "--format", file_format, "--output", str(path))
        out, err = run("import_data", model, str(path))
        assert " 0 new, 0 updated, " in out and "0 with errors" in out, (file_format, out, err)
    assert snapshot() == before


def test_export_writes_csv_to_standard_output(desk):
    out, _ = run("export_data", "sources", "--format", "csv")
    rows = csv_rows(out.encode())
    assert {row["title"] for row in rows} >= {"'" + FORMULAS[0], "A History of the Coast"}


def test_export_writes_json_and_xlsx_files(desk, tmp_path):
    run("export_data", "outlet", "--format", "json", "-o", str(tmp_path / "o.json"))
    names = {row["name"] for row in json.loads((tmp_path / "o.json").read_text())}
    assert names == set(Outlet.objects.values_list("name", flat=True))
    run("export_data", "people", "--format", "xlsx", "-o", str(tmp_path / "p.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert [c.value for c in next(book.active.iter_rows())][:2] == ["slug", "name"]


def test_an_unknown_model_is_refused_with_the_choices():
    with pytest.raises(CommandError, match="Models with spreadsheets: outlet, person, source"):
        run("export_data", "essay")


def test_import_creates_rows_and_reports_them(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_bytes(csv_bytes([{"name": "Meridian Wire", "kind": "wire"}]))
    out, _ = run("import_data", "outlet", str(path))
    assert out.strip() == "Outlets: 1 new, 0 updated, 0 unchanged, 0 with errors."
    assert Outlet.objects.get().kind == "wire"


def test_a_dry_run_reports_and_writes_nothing(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_bytes(csv_bytes([{"name": "Meridian Wire"}]))
    out, _ = run("import_data", "outlet", str(path), "--dry-run")
    assert "1 new" in out and "Dry run: nothing was written." in out
    assert not Outlet.objects.exists()


def test_row_errors_are_listed_and_nothing_is_written(tmp_path):
    make_outlet(name="Meridian Wire")
    path = tmp_path / "sources.csv"
    path.write_bytes(
        csv_bytes(
            [
                {"url": "https://a.example.org/1", "title": "Fine", "outlet": "Meridian Wire"},
                {"url": "https://a.example.org/2", "title": "Bad", "outlet": "Daily Planet"},
                {"url": "https://a.example.org/3", "title": "", "published_on": "13/03/2023"},
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="Sources: 3 problem\\(s\\) in sources.csv; nothing"):
        call_command("import_data", "source", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "Row 2, outlet: Unknown outlet “Daily Planet”. Add it to the outlets sheet first, or "
        "use a name or alias Counterpoint already knows.",
        "Row 3, published_on: “13/03/2023” is not a date; write dates as YYYY-MM-DD, "
        "e.g. 2024-05-03.",
        "Row 3, title: This field cannot be blank.",
    ]
    assert not Source.objects.exists()


@override_settings(COUNTERPOINT_IMPORT_MAX_BYTES=10)
def test_an_oversized_file_is_refused(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_bytes(b"name\nMeridian Wire\n")
    with pytest.raises(CommandError, match="imports are limited to 10"):
        run("import_data", "outlet", str(path))


def test_the_format_comes_from_the_extension_or_the_option(tmp_path):
    path = tmp_path / "outlets.txt"
    path.write_bytes(b'[{"name": "Meridian Wire"}]')
    with pytest.raises(CommandError, match="Cannot tell the format"):
        run("import_data", "outlet", str(path))
    run("import_data", "outlet", str(path), "--format", "json")
    assert Outlet.objects.filter(name="Meridian Wire").exists()


def test_importing_as_a_user_checks_their_permission(tmp_path, reviewer, publisher, desk):
    path = tmp_path / "outlets.csv"
    path.write_bytes(csv_bytes([{"name": "Meridian Wire"}]))
    with pytest.raises(CommandError, match=f"{reviewer.username} may not import outlets"):
        run("import_data", "outlet", str(path), "--user", reviewer.username)
    run("import_data", "outlet", str(path), "--user", publisher.username)
    assert Outlet.objects.filter(name="Meridian Wire").exists()


def test_an_editor_may_not_import_counter_evidence(tmp_path, editor):
    path = tmp_path / "ce.csv"
    path.write_bytes(b"essay,claim,source,summary\n")
    with pytest.raises(CommandError, match="may not import counter-evidence"):
        run("import_data", "counterevidence", str(path), "--user", editor.username)


def test_a_failing_import_exits_non_zero_from_the_shell(tmp_path):
    """The exit status scripts rely on, through a real `manage.py` process."""
    path = tmp_path / "bad.csv"
    path.write_bytes(b"titel\nX\n")
    done = subprocess.run(
        [sys.executable, "manage.py", "import_data", "outlet", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        },
    )
    assert done.returncode == 1
    assert "Unknown column “titel”" in done.stderr
