"""Form fields shared by the bibliography's admin and import screens."""

from django import forms
from taggit.forms import TagField
from taggit.models import Tag

from sources.recognition import registrable_domain


class AliasesField(forms.CharField):
    """A list of names edited as one name per line (commas also separate)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", "One spelling per line.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list):
            items = value
        else:
            items = (value or "").replace(",", "\n").splitlines()
        seen: dict[str, str] = {}
        for item in items:
            name = " ".join(item.split())
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
        return list(seen.values())

    def run_validators(self, value: list[str]) -> None:
        # Per name: CharField's validators (NUL refused, which PostgreSQL cannot store in
        # jsonb) would otherwise see the list's repr, where "\x00" is four harmless characters.
        for item in value:
            super().run_validators(item)


class DomainsField(AliasesField):
    """Web domains, one per line, each reduced to its registrable domain
    ("https://www.theguardian.com/uk" → "theguardian.com")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "One per line: a cited link on one of these names it.")
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        domains = []
        for item in super().to_python(value):
            domain = registrable_domain(item if "//" in item else f"https://{item}")
            if domain is None:
                raise forms.ValidationError(f"“{item}” is not a web domain.", code="domain")
            if domain not in domains:
                domains.append(domain)
        return domains


class OutletForm(forms.ModelForm):
    aliases = AliasesField()
    domains = DomainsField()


class PersonForm(forms.ModelForm):
    aliases = AliasesField()


class BoundedTagField(TagField):
    """taggit's tag field, refusing a tag longer than the tag table's column holds.

    taggit saves tags without validating them, so a 101-character tag was a database error
    (a 500 on PostgreSQL, silently kept on SQLite) instead of a message.
    """

    def clean(self, value):
        tags = super().clean(value)
        limit = Tag._meta.get_field("name").max_length
        too_long = [tag for tag in tags if len(tag) > limit]
        if too_long:
            raise forms.ValidationError(
                f"A tag may have at most {limit} characters; this one has "
                f"{len(too_long[0])}: “{too_long[0][:40]}…”.",
                code="tag_too_long",
            )
        return tags


class SourceDocumentUploadForm(forms.ModelForm):
    """The Source admin form, plus an optional document to attach (saved by the service)."""

    document = forms.FileField(
        required=False,
        help_text="A saved web page (.html), PDF, Word (.docx) or plain-text copy of the "
        "source. It becomes the source's current document; earlier ones are kept.",
    )

    def clean_document(self):
        from django.conf import settings

        from sources.documents import DocumentError, guess_content_type

        upload = self.cleaned_data.get("document")
        if not upload:
            return upload
        limit = settings.COUNTERPOINT_FETCH_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"{upload.size:,} bytes is over the {limit:,}-byte limit.")
        head = upload.read(1024 * 1024)
        upload.seek(0)
        try:
            guess_content_type(data=head, content_type=upload.content_type, filename=upload.name)
        except DocumentError as error:
            raise forms.ValidationError(str(error)) from error
        return upload
