"""manage.py import_essay: dry runs, saving, errors, progress."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from essays.choices import ClaimStatus
from essays.importer import parse_for_import
from essays.models import Essay
from tests.factories import make_claim, make_essay, make_section
from tests.importer.conftest import FIXTURES, LONG, fixture_bytes
from tests.importer.test_imports import row_counts

pytestmark = pytest.mark.django_db

# The --dry-run --json contract: keys are only ever added (issue 12 added tags, notes,
# sources, and per quotation speaker_kind, affiliation, rule, confidence, source).
TOP_KEYS = {"title", "author", "canonical_url", "published_on", "sections", "dropped_lines",
            "warnings", "tags", "notes", "sources"}  # fmt: skip
SECTION_KEYS = {"heading", "paragraphs", "quotations", "claims"}
QUOTATION_KEYS = {"text", "paragraph", "start", "end", "speaker", "outlet", "via",
                  "emphasis_added", "scare", "repeat_of", "speaker_kind", "affiliation", "rule",
                  "confidence", "source"}  # fmt: skip
CLAIM_KEYS = {"text", "paragraph", "start", "end", "score"}


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_essay", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_json_prints_exactly_the_parse_result_and_writes_nothing(shipped_outlets):
    before = row_counts()
    out, err = run(FIXTURES / LONG, "--dry-run", "--json")

    data = json.loads(out)
    assert set(data) == TOP_KEYS
    assert all(set(s) == SECTION_KEYS for s in data["sections"])
    assert all(set(q) == QUOTATION_KEYS for s in data["sections"] for q in s["quotations"])
    assert all(set(c) == CLAIM_KEYS | {"checked_before"} for s in data["sections"]
               for c in s["claims"])  # fmt: skip
    # The parse result, plus each candidate's reviewed look-alikes (none in an empty database).
    for section in data["sections"]:
        for claim in section["claims"]:
            assert claim.pop("checked_before") == []
    assert data == parse_for_import(fixture_bytes(LONG), filename=LONG).to_json_dict()
    assert sum(len(s["quotations"]) for s in data["sections"]) == 103
    assert err == "" and row_counts() == before


def test_dry_run_json_marks_candidates_checked_before(shipped_outlets):
    data = json.loads(run(FIXTURES / LONG, "--dry-run", "--json")[0])
    candidate = next(c["text"] for s in data["sections"] for c in s["claims"])
    earlier = make_claim(make_section(make_essay(title="Elsewhere"), body=candidate),
                         exact=candidate, status=ClaimStatus.APPROVED, verdict="false")  # fmt: skip
    data = json.loads(run(FIXTURES / LONG, "--dry-run", "--json")[0])
    marked = next(c for s in data["sections"] for c in s["claims"] if c["text"] == candidate)
    assert marked["checked_before"][0]["claim_id"] == earlier.pk
    assert marked["checked_before"][0]["verdict"] == "false"


def test_dry_run_without_json_prints_a_summary(shipped_outlets):
    before = row_counts()
    out, _ = run(FIXTURES / "checkpoint.md", "--dry-run", "--author", "Someone Else")
    assert "Title: The Checkpoint at Kafr Halab" in out and "Byline: Someone Else" in out
    assert "7 quotations" in out and "nothing was saved" in out
    assert row_counts() == before


def test_import_saves_the_essay_with_the_named_user_and_author(shipped_outlets, editor):
    out, _ = run(FIXTURES / "checkpoint.txt", "--user", editor.username, "--author", "Guest Writer")
    essay = Essay.objects.get()
    assert essay.created_by == editor and essay.byline == "Guest Writer"
    assert out.startswith("Created “The Checkpoint at Kafr Halab”: 3 sections, 7 quotations")


def test_import_without_a_user_leaves_created_by_empty_and_json_reports_counts(shipped_outlets):
    out, _ = run(FIXTURES / "checkpoint.html", "--json", "--format", "html")
    data = json.loads(out)
    essay = Essay.objects.get()
    assert essay.created_by is None and data["essay"]["id"] == essay.pk
    assert data["created"] is True and data["counts"]["quotations"] == 7


def test_second_import_of_the_same_file_updates(shipped_outlets):
    run(FIXTURES / "checkpoint.txt")
    out, _ = run(FIXTURES / "checkpoint.txt")
    assert Essay.objects.count() == 1 and out.startswith("Updated")


def test_unknown_user_is_refused(shipped_outlets):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run(FIXTURES / "checkpoint.txt", "--user", "nobody")
    assert Essay.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty.txt: file is empty"),
        (b"   \n\n\t", "empty.txt: file is empty"),
        (b"Title\nline two\n\x00\x01binary", "empty.txt, line 3: binary file"),
        (b"Title \xff\xfe\x81\x8d\x90", "empty.txt, line 1: not valid text"),
    ],
)
def test_bad_input_prints_file_and_line_and_writes_nothing(
    shipped_outlets, tmp_path, content, message
):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    before = row_counts()
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_essay", str(path), stderr=err)
    assert exit_info.value.code == 1
    assert err.getvalue().startswith(message)
    assert row_counts() == before


def test_error_message_goes_to_stderr(shipped_outlets, tmp_path):
    path = tmp_path / "essay.txt"
    path.write_bytes(b"Title\nline two\n\x00")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_essay", str(path), stderr=err)
    assert err.getvalue().strip() == "essay.txt, line 3: binary file (NUL byte), not text"


def test_html_with_only_scripts_is_refused(shipped_outlets, tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><script>alert(1)</script></body></html>")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_essay", str(path), stderr=err)
    assert "page.html: HTML has no essay text" in err.getvalue()
    assert Essay.objects.count() == 0


def test_files_over_the_size_limit_are_refused_before_reading(shipped_outlets, settings, tmp_path):
    settings.COUNTERPOINT_IMPORT_MAX_BYTES = 1000
    path = tmp_path / "big.txt"
    path.write_text("Title\n\n" + "word " * 400)
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_essay", str(path), stderr=err)
    assert "big.txt: file is 2,007 bytes, over the 1,000-byte limit" in err.getvalue()
    assert Essay.objects.count() == 0


def test_missing_file_is_an_error(shipped_outlets, tmp_path):
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_essay", str(tmp_path / "nope.txt"), stderr=err)
    assert "nope.txt: cannot read the file" in err.getvalue()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(shipped_outlets, monkeypatch):
    quiet = io.StringIO()
    monkeypatch.setattr("sys.stderr", quiet)
    run(FIXTURES / "checkpoint.txt")
    assert quiet.getvalue() == ""

    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    run(FIXTURES / "checkpoint.txt")
    assert "step" in terminal.getvalue() and "quotations" in terminal.getvalue()


def test_a_word_document_is_imported_from_its_bytes(shipped_outlets, tmp_path):
    from tests.importer.test_readers_docx import MANUSCRIPT

    path = tmp_path / "orchard.docx"
    path.write_bytes(MANUSCRIPT)
    out, err = run(path, "--dry-run", "--json")
    data = json.loads(out)
    assert data["title"] == "The Orchard Ledger" and data["author"] == "Hanne Vik"
    assert [n["label"] for n in data["notes"]] == ["1"]
    run(path)
    assert Essay.objects.get().title == "The Orchard Ledger"
