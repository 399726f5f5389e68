"""The admin's import page: upload or paste → preview → confirm."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from essays.importer import save_import
from essays.models import Essay
from tests.importer.conftest import LONG, fixture_bytes
from tests.importer.test_imports import CLAIM_TEXT, reviewed_claim, row_counts

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:essays_essay_import"
PAYLOAD = re.compile(r'name="payload" value="([^"]+)"')


@pytest.fixture
def editor_client(client, editor, shipped_outlets):
    client.force_login(editor)
    return client


def preview(client, **data):
    data.setdefault("format", "auto")
    data.setdefault("text", "")
    data.setdefault("author", "")
    return client.post(reverse(IMPORT_URL), data)


def payload_of(response) -> str:
    return unescape(PAYLOAD.search(response.content.decode()).group(1))


def test_changelist_links_to_the_import_page_for_editors_only(editor_client, client, reviewer):
    page = editor_client.get(reverse("admin:essays_essay_changelist"))
    assert reverse(IMPORT_URL) in page.content.decode() and "Import essay" in page.content.decode()

    client.force_login(reviewer)
    page = client.get(reverse("admin:essays_essay_changelist"))
    assert page.status_code == 200 and reverse(IMPORT_URL) not in page.content.decode()
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert preview(client, text="Title\n\nText.").status_code == 403


def test_the_form_offers_upload_paste_format_and_author(editor_client):
    page = editor_client.get(reverse(IMPORT_URL))
    html = page.content.decode()
    assert page.status_code == 200
    for name in ("file", "text", "format", "author"):
        assert f'name="{name}"' in html
    assert '<option value="auto" selected>' in html


def test_preview_shows_what_will_be_created_and_writes_nothing(editor_client):
    before = row_counts()
    upload = SimpleUploadedFile(LONG, fixture_bytes(LONG), content_type="text/plain")
    page = preview(editor_client, file=upload)

    html = page.content.decode()
    assert page.status_code == 200
    assert "The Long Siege: How Idlib Became the Last Rebel Redoubt" in html
    assert "Miriam Haddad" in html and "https://counterpoint.example/essays/the-long-siege" in html
    assert "14 sections, 103 quotations" in html
    assert "<td>Origins</td>" in html and "(introduction, untitled)" in html
    assert "Thomas Vail" in html and "Agence France-Presse" in html
    assert "Syrian Observatory for Human Rights" in html  # a via
    assert "<li>Ten Recipes for a Summer Picnic</li>" in html  # dropped lines listed
    assert "Claim candidates (by check-worthiness)" in html
    assert "Create the essay" in html and 'name="payload"' in html
    assert row_counts() == before


def test_a_long_preview_offers_its_choice_at_the_top_and_again_at_the_end(editor_client):
    upload = SimpleUploadedFile(LONG, fixture_bytes(LONG), content_type="text/plain")
    html = preview(editor_client, file=upload).content.decode()
    buttons = [
        m.start() for m in re.finditer(r'<button type="submit" form="essay-import-confirm"', html)
    ]
    assert len(buttons) == 2
    # the second comes after the last table of the preview, the first before any of them
    assert (
        buttons[0]
        < html.index('id="import-quotations"')
        < html.index('id="import-dropped"')
        < buttons[1]
    )
    assert html.count('class="button cp-button-secondary">Start over</a>') == 2
    assert html.count('class="button cp-button-secondary">Cancel</a>') == 2
    assert '<ol class="breadcrumbs">' in html and '<li aria-current="page">Import</li>' in html


def test_confirm_saves_and_redirects_to_the_new_essay(editor_client, editor):
    upload = SimpleUploadedFile(LONG, fixture_bytes(LONG), content_type="text/plain")
    token = payload_of(preview(editor_client, file=upload))

    response = editor_client.post(reverse(IMPORT_URL), {"payload": token}, follow=True)
    essay = Essay.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:essays_essay_change", args=[essay.pk])
    assert essay.created_by == editor and essay.sections.count() == 14
    assert "Created “The Long Siege" in response.content.decode()


def test_pasted_text_with_script_payloads_is_escaped_everywhere(editor_client):
    text = (
        "<script>alert('title')</script> Essay\n\n"
        "Intro with <script>alert('body')</script> in it.\n\n"
        "Heading <b>bold</b>\n\n"
        "“<script>alert('quote')</script> is what we saw,” a witness said in 2019.\n"
    )
    page = preview(editor_client, text=text, format="text", author="<img src=x onerror=alert(1)>")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#x27;quote&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html

    response = editor_client.post(reverse(IMPORT_URL), {"payload": payload_of(page)})
    assert response.status_code == 302
    essay = Essay.objects.get()
    assert essay.byline == "<img src=x onerror=alert(1)>"  # stored as written, escaped on output
    change = editor_client.get(reverse("admin:essays_essay_change", args=[essay.pk]))
    assert "<script>alert" not in change.content.decode()


def test_a_tampered_or_foreign_payload_is_refused(editor_client, client, publisher):
    page = preview(editor_client, text="A Title\n\nSome text of the essay here.\n")
    token = payload_of(page)
    before = row_counts()

    tampered = editor_client.post(reverse(IMPORT_URL), {"payload": token[:-3] + "abc"})
    assert tampered.status_code == 400 and "expired or was altered" in tampered.content.decode()

    client.force_login(publisher)
    foreign = client.post(reverse(IMPORT_URL), {"payload": token})
    assert foreign.status_code == 400
    assert row_counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   \n  "}, "Upload a file or paste the essay"),
        ({"file": ("empty.txt", b"")}, "empty.txt: file is empty"),
        ({"file": ("essay.txt", b"Title\nline two\n\x00binary")}, "essay.txt, line 3: binary"),
        ({"file": ("essay.txt", b"Title \xff\xfe\x81\x8d\x90")}, "not valid text"),
        ({"file": ("page.html", b"<html><script>x()</script></html>")}, "HTML has no essay"),
        ({"file": ("big.txt", b"T\n\n" + b"w " * 600)}, "big.txt: file is 1,203 bytes, over"),
        ({"file": ("a.txt", b"A\n\nText."), "text": "B\n\nMore."}, "not both"),
    ],
)
def test_bad_input_shows_the_error_on_the_form_and_writes_nothing(
    editor_client, settings, data, message
):
    settings.COUNTERPOINT_IMPORT_MAX_BYTES = 1000
    if "file" in data:
        name, content = data["file"]
        data["file"] = SimpleUploadedFile(name, content, content_type="text/plain")
    before = row_counts()
    page = preview(editor_client, **data)
    assert page.status_code == 400
    assert message in unescape(page.content.decode())
    assert 'name="payload"' not in page.content.decode()
    assert row_counts() == before


def test_preview_of_a_reimport_says_it_updates_and_counts_claims(editor_client, editor):
    from essays.importer import parse_for_import

    first = save_import(parsed=parse_for_import(fixture_bytes(LONG), filename=LONG), actor=editor)
    reviewed_claim(first.essay)
    edited = fixture_bytes(LONG).replace(CLAIM_TEXT.encode(), b"Gone.")
    upload = SimpleUploadedFile(LONG, edited, content_type="text/plain")
    page = preview(editor_client, file=upload)
    html = unescape(page.content.decode())
    assert "updates it" in html and "Update the essay" in html
    assert "Its 1 claim (1 with review work) is kept" in html
    assert "0 will be re-anchored" in html and "1 whose words are gone" in html

    editor_client.post(reverse(IMPORT_URL), {"payload": payload_of(page)})
    assert Essay.objects.count() == 1


def test_a_word_upload_is_previewed_and_saved(editor_client):
    from tests.importer.test_readers_docx import MANUSCRIPT

    upload = SimpleUploadedFile(
        "orchard.docx",
        MANUSCRIPT,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    page = preview(editor_client, file=upload)
    assert page.status_code == 200 and "The Orchard Ledger" in page.content.decode()
    response = editor_client.post(reverse(IMPORT_URL), {"payload": payload_of(page)}, follow=True)
    essay = Essay.objects.get()
    assert essay.title == "The Orchard Ledger" and essay.sections.count() == 2
    assert response.status_code == 200


def test_confirming_one_preview_twice_makes_one_essay(editor_client):
    upload = SimpleUploadedFile(LONG, fixture_bytes(LONG), content_type="text/plain")
    token = payload_of(preview(editor_client, file=upload))
    first = editor_client.post(reverse(IMPORT_URL), {"payload": token})
    second = editor_client.post(reverse(IMPORT_URL), {"payload": token}, follow=True)
    assert Essay.objects.count() == 1
    essay = Essay.objects.get()
    assert first["Location"] == reverse("admin:essays_essay_change", args=[essay.pk])
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "was already imported" in second.content.decode()


def test_an_essay_larger_than_a_form_field_may_carry_can_be_confirmed(editor_client, settings):
    from essays.models import ImportUpload

    # Django's default cap is 2.5 MB; a smaller one shows the same thing, faster.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200_000
    paragraph = (
        "The water board’s report of 1961 says the reservoir held enough for three dry "
        "summers, and the engineers who built the dam agreed with it at the time. "
    ) * 8
    body = "\n\n".join(f"{paragraph} Paragraph {n}." for n in range(250))
    text = f"The Reservoir Years\n\n{body}\n"
    size = len(text.encode())
    assert size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    upload = SimpleUploadedFile("reservoir.txt", text.encode(), content_type="text/plain")
    page = preview(editor_client, file=upload)
    token = payload_of(page)
    assert len(token) < 200  # a reference, not the file
    response = editor_client.post(reverse(IMPORT_URL), {"payload": token})
    assert response.status_code == 302, response.content.decode()[:500]
    essay = Essay.objects.get(title="The Reservoir Years")
    assert sum(len(s.body) for s in essay.sections.all()) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert bytes(ImportUpload.objects.get().data) == b""  # the copy is dropped once used
