"""Forms of the essays admin's own screens."""

from django import forms
from django.conf import settings

from essays.importer import FORMATS, EssayImportError
from essays.importer.decoding import check_size

FORMAT_NAMES = {"text": "Text", "markdown": "Markdown", "html": "HTML", "docx": "Word (.docx)"}


class EssayImportForm(forms.Form):
    """Step 1 of the admin import: a file or pasted text, a format, an optional author."""

    file = forms.FileField(
        required=False, allow_empty_file=True, help_text="A .txt, .md, .html or Word (.docx) file."
    )
    text = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text="…or paste the essay here.",
    )
    format = forms.ChoiceField(
        choices=[("auto", "Detect automatically"), *((f, FORMAT_NAMES.get(f, f)) for f in FORMATS)],
        initial="auto",
    )
    author = forms.CharField(
        required=False, max_length=300, help_text="Overrides the byline found in the text."
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if upload and text.strip():
            raise forms.ValidationError("Upload a file or paste text, not both.")
        if not upload and not text.strip():
            raise forms.ValidationError("Upload a file or paste the essay's text.")
        limit = settings.COUNTERPOINT_IMPORT_MAX_BYTES
        if upload:
            name = upload.name
            try:  # refused before the file is read into memory
                check_size(upload.size, max_bytes=limit, filename=name)
            except EssayImportError as error:
                raise forms.ValidationError(str(error)) from error
            data = upload.read()
        else:
            name, data = "pasted text", text.encode("utf-8")
        cleaned["data"], cleaned["filename"] = data, name
        return cleaned


class EssayImportConfirmForm(forms.Form):
    """Step 2: a signed reference to the upload kept from step 1, re-parsed before saving."""

    payload = forms.CharField(widget=forms.HiddenInput)
