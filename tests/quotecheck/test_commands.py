"""manage.py attach_document and check_quotations: their interface and exit status."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from review.models import QuotationCheck
from sources.models import Source, SourceDocument
from sources.services import source_document_attach
from tests.factories import make_essay, make_quotation, make_section, make_source
from tests.quotecheck.conftest import source_url
from tests.quotecheck.labelled import DOCUMENTS, labels
from tests.sources.local_server import running

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


# --- attach_document --------------------------------------------------------------------------


def test_attach_document_creates_the_source_when_there_is_none():
    url = "https://water.example.org/annual-review-2025"
    out, _, error = run("attach_document", url, str(DOCUMENTS / "northern-water-review.pdf"))
    assert error is None
    source = Source.objects.get(url=url)
    document = SourceDocument.objects.get(source=source)
    assert (document.filename, document.extraction_method) == ("northern-water-review.pdf", "pypdf")
    assert out.startswith(f"Created source {source.pk} ({url}): northern-water-review.pdf")


def test_attach_document_updates_an_existing_sources_document():
    source = make_source(url="https://herald.example.org/port")
    path = DOCUMENTS / "coastal-herald-port.html"
    out, _, _ = run("attach_document", source.url, str(path))
    assert out.startswith(f"Updated source {source.pk}")
    run("attach_document", source.url, str(path))  # the same bytes: no new capture
    run("attach_document", source.url, str(DOCUMENTS / "dallin-council-minutes.txt"))
    captures = SourceDocument.objects.filter(source=source).order_by("pk")
    assert [(d.filename, d.is_current) for d in captures] == [
        ("coastal-herald-port.html", False),
        ("dallin-council-minutes.txt", True),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.pdf", None, "cannot read the file"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "unsupported document type"),
        ("fake.pdf", b"<html>hello</html>", "not one"),
    ],
)
def test_attach_document_fails_clearly(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    _, _, error = run("attach_document", "https://example.org/doc", str(path))
    assert error is not None and message in str(error)
    assert not SourceDocument.objects.exists()


def test_attach_document_refuses_an_invalid_url():
    _, _, error = run("attach_document", "not-a-url", str(DOCUMENTS / "fishermen-statement.docx"))
    assert error is not None and "URL" in str(error)


# --- check_quotations ---------------------------------------------------------------------------


def test_check_quotations_json_is_one_object_per_quotation_with_the_interface_names(
    labelled_essay,
):
    out, _, error = run("check_quotations", "--essay", labelled_essay.essay.slug, "--json")
    rows = json.loads(out)
    assert {tuple(sorted(row)) for row in rows} == {
        ("changes", "quotation", "source_url", "status", "text")
    }
    assert {row["quotation"]: row["status"] for row in rows} == labelled_essay.expected
    by_id = {row["quotation"]: row for row in rows}
    altered = by_id[labelled_essay.by_label["h10"].pk]
    assert altered == {
        "quotation": labelled_essay.by_label["h10"].pk,
        "text": "The ministry knew for months that the breakwater was failing",
        "source_url": source_url("coastal-herald-port.html"),
        "status": "altered",
        "changes": [{"quoted": "months", "original": "years"}],
    }
    assert by_id[labelled_essay.unsourced.pk]["source_url"] is None
    undocumented = labelled_essay.undocumented
    assert by_id[undocumented.pk]["source_url"] == undocumented.source.url
    assert by_id[labelled_essay.by_label["h1"].pk]["changes"] == []
    # Altered or not-found quotations make the command fail, for CI.
    assert error is not None and error.returncode == 1
    failing = sum(row["status"] in ("altered", "not_found") for row in labels())
    assert f"{failing} of {len(labels()) + 2} quotations altered or not found" in str(error)


def test_check_quotations_prints_a_table_and_a_summary(labelled_essay):
    out, _, error = run("check_quotations", "--essay", labelled_essay.essay.slug)
    lines = out.splitlines()
    assert lines[0].split() == ["id", "status", "quotation", "what", "differs"]
    h10 = labelled_essay.by_label["h10"].pk
    row = next(line for line in lines if line.split()[0] == str(h10))
    assert "altered" in row and "“months” for “years”" in row
    assert lines[-1] == (
        f"{len(labels()) + 2} quotations: 25 verbatim, 13 verbatim with marked edits, "
        "22 altered, 10 not found in the source, 2 no source text"
    )
    assert error is not None and error.returncode == 1


def test_check_quotations_exits_zero_when_nothing_is_altered_or_missing():
    essay = make_essay(slug="clean-essay")
    section = make_section(essay, body="The council said “the harbour road is open again”.")
    source = make_source()
    make_quotation(section, "the harbour road is open again", source=source)
    call_command("attach_document", source.url, str(DOCUMENTS / "dallin-council-minutes.txt"))
    # The minutes do not say it: not found, exit 1. Then a copy that does say it: exit 0.
    _, _, error = run("check_quotations", "--essay", "clean-essay")
    assert error is not None
    source_document_attach(
        source=source,
        data=b"He said the harbour road is open again, at last.",
        content_type="text/plain",
        filename="note.txt",
        actor=None,
    )
    out, _, error = run("check_quotations", "--essay", "clean-essay")
    assert error is None
    assert "1 quotations: 1 verbatim" in out


def test_an_override_counts_as_the_status(labelled_essay):
    quotation = labelled_essay.by_label["h10"]
    run("check_quotations", "--essay", labelled_essay.essay.slug)
    QuotationCheck.objects.filter(quotation=quotation).update(
        override_status="verbatim", override_reason="translation"
    )
    out, _, _ = run("check_quotations", "--essay", labelled_essay.essay.slug, "--json")
    assert {r["quotation"]: r["status"] for r in json.loads(out)}[quotation.pk] == "verbatim"


def test_an_unknown_essay_is_an_error():
    _, _, error = run("check_quotations", "--essay", "no-such-essay")
    assert error is not None and "no essay with the slug 'no-such-essay'" in str(error)


def test_fetch_captures_missing_documents_first_and_reports_refusals(settings):
    settings.COUNTERPOINT_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    essay = make_essay(slug="fetched")
    section = make_section(
        essay, body="Notes: “larger ships would wait until the work was finished” and “it is sold”."
    )
    with running() as server:
        served = make_source(url=server.url("/page"))
        blocked = make_source(url="http://10.20.30.40/internal")
        make_quotation(
            section, "larger ships would wait until the work was finished", source=served
        )
        make_quotation(section, "it is sold", source=blocked)
        out, err, error = run("check_quotations", "--essay", "fetched", "--fetch", "--json")
    assert f"fetched {served.url}" in err
    assert "could not fetch http://10.20.30.40/internal: refused: 10.20.30.40" in err
    assert [row["status"] for row in json.loads(out)] == ["verbatim", "no_text"]
    assert error is None  # no text is not a failure: there is nothing to compare yet
    assert SourceDocument.objects.filter(source=served).count() == 1
