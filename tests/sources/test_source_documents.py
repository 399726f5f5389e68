"""Capturing a source's document: the services, the Source admin's upload field and action."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sources.fetching import ForbiddenAddress
from sources.models import Source, SourceDocument
from sources.services import (
    source_document_attach,
    source_document_fetch,
    source_get_or_create_for_url,
)
from tests.factories import make_source, make_user
from tests.sources.local_server import running

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).resolve().parent.parent / "quotecheck" / "fixtures" / "documents"
PDF = (DOCUMENTS / "marenna-port-release.pdf").read_bytes()


def attach(source, data=PDF, filename="release.pdf", actor=None, content_type=None):
    return source_document_attach(
        source=source, data=data, content_type=content_type, filename=filename, actor=actor
    )


def test_attaching_stores_the_bytes_the_text_and_the_provenance(editor):
    source = make_source()
    document = attach(source, actor=editor)
    assert document.file.name == (
        f"source-documents/{source.pk}/{hashlib.sha256(PDF).hexdigest()[:16]}.pdf"
    )
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == PDF
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (document.byte_size, document.content_type, document.extraction_method) == (
        len(PDF),
        "application/pdf",
        "pypdf",
    )
    assert "reopen to commercial shipping on 31 March" in document.text
    assert (document.captured_by, document.is_current, document.filename) == (
        editor,
        True,
        "release.pdf",
    )


def test_attaching_the_same_bytes_again_changes_nothing():
    source = make_source()
    first = attach(source)
    assert attach(source, filename="renamed.pdf") == first
    assert SourceDocument.objects.filter(source=source).count() == 1


def test_a_new_capture_becomes_current_and_the_old_one_is_kept():
    source = make_source()
    old = attach(source)
    new = attach(source, data=b"A later plain-text copy.", filename="copy.txt")
    old.refresh_from_db()
    assert (old.is_current, new.is_current) == (False, True)
    assert list(SourceDocument.objects.current().filter(source=source)) == [new]
    assert SourceDocument.objects.filter(source=source).count() == 2


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"\x89PNG\r\n\x1a\n....", "photo.png", "unsupported document type"),
        (b"<html>not a pdf</html>", "report.pdf", "not one"),
        (b"   ", "empty.txt", "no text"),
    ],
)
def test_unreadable_documents_are_refused_and_nothing_is_stored(data, filename, message):
    source = make_source()
    content_type = "image/png" if filename.endswith(".png") else None
    with pytest.raises(ValidationError, match=message):
        attach(source, data=data, filename=filename, content_type=content_type)
    assert not SourceDocument.objects.filter(source=source).exists()


def test_documents_over_the_size_limit_are_refused(settings):
    settings.COUNTERPOINT_FETCH_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="over the 1,000-byte limit"):
        attach(make_source())


def test_a_user_without_a_role_may_not_attach():
    source = make_source()
    with pytest.raises(PermissionDenied):
        attach(source, actor=make_user())
    assert not SourceDocument.objects.filter(source=source).exists()


@pytest.mark.parametrize("role", ["Editor", "Reviewer", "Publisher"])
def test_every_role_may_attach(role):
    assert attach(make_source(), actor=make_user(role)).captured_by.groups.get().name == role


def test_the_source_for_a_url_is_reused_or_created():
    existing = make_source(url="https://news.example.org/a")
    assert source_get_or_create_for_url(url="https://news.example.org/a") == (existing, False)
    created, is_new = source_get_or_create_for_url(url="https://news.example.org/b")
    assert is_new and (created.title, created.url) == ("https://news.example.org/b",) * 2
    with pytest.raises(ValidationError):
        source_get_or_create_for_url(url="not a url")


# --- fetching through the service -------------------------------------------------------------


@pytest.fixture
def server():
    with running(pdf=PDF) as server:
        yield server


def test_fetching_attaches_what_the_url_answers_after_redirects(server, settings, editor):
    settings.COUNTERPOINT_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    source = make_source(url=server.url(f"/redirect?to={server.url('/report-pdf')}"))
    document = source_document_fetch(source=source, actor=editor)
    assert document.fetched_from == server.url("/report-pdf")
    assert (document.filename, document.content_type) == ("report.pdf", "application/pdf")
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()


def test_fetching_a_local_address_is_refused_by_default(server):
    source = make_source(url=server.url("/report-pdf"))
    with pytest.raises(ForbiddenAddress):
        source_document_fetch(source=source, actor=None)
    assert server.requests == []
    assert not SourceDocument.objects.filter(source=source).exists()


def test_a_source_without_a_url_cannot_be_fetched():
    with pytest.raises(ValidationError, match="no URL"):
        source_document_fetch(source=make_source(url=""), actor=None)


def test_a_user_without_a_role_may_not_fetch(server, settings):
    settings.COUNTERPOINT_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    with pytest.raises(PermissionDenied):
        source_document_fetch(source=make_source(url=server.url("/page")), actor=make_user())
    assert server.requests == []  # refused before any request


# --- the Source admin -----------------------------------------------------------------------------


def _change_form(source: Source, **extra) -> dict:
    return {
        "title": source.title,
        "kind": source.kind,
        "url": source.url,
        "archived_url": "",
        "notes": "",
        "tags": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        **extra,
    }


def test_an_editor_uploads_a_document_on_the_source_form(client, editor):
    client.force_login(editor)
    source = make_source(outlet=None)
    upload = SimpleUploadedFile("release.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("admin:sources_source_change", args=[source.pk]),
        _change_form(source, document=upload),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = SourceDocument.objects.get(source=source)
    assert (document.captured_by, document.filename) == (editor, "release.pdf")
    page = client.get(reverse("admin:sources_source_change", args=[source.pk])).content.decode()
    assert "captured documents" in page.lower() and document.sha256 in page


def test_an_upload_of_the_wrong_type_is_a_form_error(client, editor):
    client.force_login(editor)
    source = make_source(outlet=None)
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    response = client.post(
        reverse("admin:sources_source_change", args=[source.pk]),
        _change_form(source, document=upload),
    )
    assert response.status_code == 200
    assert "unsupported document type" in response.content.decode()
    assert not SourceDocument.objects.filter(source=source).exists()


def test_the_fetch_action_captures_each_selected_source(client, editor, server, settings):
    settings.COUNTERPOINT_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    client.force_login(editor)
    good = make_source(url=server.url("/report-pdf"))
    blocked = make_source(url="http://169.254.169.254/latest/meta-data/")
    response = client.post(
        reverse("admin:sources_source_changelist"),
        {"action": "fetch_documents", "_selected_action": [good.pk, blocked.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "Fetched 1 document." in page
    assert "169.254.169.254 is not a public internet address" in page
    assert SourceDocument.objects.filter(source=good).count() == 1
    assert not SourceDocument.objects.filter(source=blocked).exists()
