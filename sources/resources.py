"""Spreadsheet import and export of the bibliography: outlets, people and sources.

Natural keys: an outlet is its name; a person is their slug, or their name when the
sheet has no slug; a source is its URL, or title + outlet + date when it has no URL.
Other sheets refer to outlets by name or alias, to people by name, alias or slug, and
to sources by URL (or exact title for sources without one). See docs/spreadsheets.md.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug

from sources.models import Outlet, Person, Source
from spreadsheets.resources import SpreadsheetResource, field
from spreadsheets.widgets import (
    ChoiceWidget,
    IsoDateWidget,
    ManyReferenceWidget,
    NameListWidget,
    ReferenceWidget,
    TagsWidget,
    TextWidget,
    name_key,
    normalise_name,
)


class TrimmedTextWidget(TextWidget):
    """Text with leading and trailing whitespace removed (names, titles, URLs)."""

    def clean(self, value, row=None, **kwargs) -> str:
        return super().clean(value, row, **kwargs).strip()


class NameIndex:
    """Rows of a model with `name` and `aliases`, looked up by either, ignoring case."""

    def __init__(self, rows: Iterable):
        self.by_name: dict[str, list] = defaultdict(list)
        self.by_alias: dict[str, list] = defaultdict(list)
        for row in rows:
            self.add(row)

    def add(self, row) -> None:
        """Index `row` (again, after a save: a row is never listed twice under one key)."""
        keys = [(self.by_name, row.name)] + [(self.by_alias, a) for a in row.aliases or []]
        for table, value in keys:
            entries = table[name_key(value)]
            entries[:] = [r for r in entries if r.pk is None or r.pk != row.pk] + [row]

    def named(self, value: str) -> list:
        """Rows whose name is `value`; an exact-case match wins over case-insensitive ones."""
        found = self.by_name.get(name_key(value), [])
        exact = [row for row in found if normalise_name(row.name) == normalise_name(value)]
        return exact or found

    def aliased(self, value: str) -> list:
        return list({row.pk: row for row in self.by_alias.get(name_key(value), [])}.values())

    def find(self, value: str, *, what: str):
        """The one row named or aliased `value`, or ValueError saying why there is none."""
        named = self.named(value)
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise ValueError(
                f"{len(named)} {what}s are named “{value}”; use a name only one of them has."
            )
        aliased = self.aliased(value)
        if len(aliased) == 1:
            return aliased[0]
        if len(aliased) > 1:
            names = ", ".join(f"“{row.name}”" for row in aliased)
            raise ValueError(f"“{value}” is an alias of several {what}s ({names}); use a name.")
        raise ValueError(f"Unknown {what} “{value}”.")


class OutletWidget(ReferenceWidget):
    """An outlet, by its name or one of its aliases."""

    def index(self) -> NameIndex:
        return self.cached("index", lambda: NameIndex(Outlet.objects.all()))

    def resolve(self, value, row) -> Outlet:
        try:
            return self.index().find(str(value), what="outlet")
        except ValueError as exc:
            if str(exc).startswith("Unknown"):
                raise ValueError(
                    f"{exc} Add it to the outlets sheet first, or use a name or alias "
                    "Counterpoint already knows."
                ) from None
            raise

    def render(self, value, obj=None, **kwargs) -> str:
        return value.name if value is not None else ""


class PersonWidget(ReferenceWidget):
    """A person, by slug, name or alias. Exports the name, or the slug if the name is shared."""

    def index(self) -> tuple[dict[str, Person], NameIndex]:
        def build():
            people = list(Person.objects.all())
            return {p.slug: p for p in people}, NameIndex(people)

        return self.cached("index", build)

    def resolve(self, value, row) -> Person:
        by_slug, by_name = self.index()
        value = str(value)
        if value in by_slug:
            return by_slug[value]
        try:
            return by_name.find(value, what="person")
        except ValueError as exc:
            if str(exc).startswith("Unknown"):
                raise ValueError(f"{exc} Add them to the people sheet first.") from None
            raise

    def render(self, value, obj=None, **kwargs) -> str:
        if value is None:
            return ""
        try:
            unambiguous = self.resolve(value.name, None).pk == value.pk
        except ValueError:
            unambiguous = False
        return value.name if unambiguous else value.slug


class SourceWidget(ReferenceWidget):
    """A source, by URL; a source without a URL by its exact title."""

    def resolve(self, value, row) -> Source:
        value = str(value)
        return self.cached(f"source:{value}", lambda: self._find(value))

    def _find(self, value: str) -> Source:
        if "://" in value:
            source = Source.objects.filter(url=value).first()
            if source is None:
                raise ValueError(
                    f"No source has the URL “{value}”. Add it to the sources sheet first."
                )
            return source
        matches = list(Source.objects.filter(title=value)[:2]) or list(
            Source.objects.filter(title__iexact=value)[:2]
        )
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(f"Several sources are titled “{value}”; use the source's URL.")
        raise ValueError(f"Unknown source “{value}”. Use the source's URL.")

    def render(self, value, obj=None, **kwargs) -> str:
        if value is None:
            return ""
        return value.url or value.title


class OutletResource(SpreadsheetResource):
    """Outlets, one per row, found by name."""

    name = field("name", TrimmedTextWidget())
    aliases = field("aliases", NameListWidget())
    kind = field("kind", ChoiceWidget(Outlet.Kind), default=Outlet.Kind.NEWSPAPER)
    country = field("country", TrimmedTextWidget())
    homepage = field("homepage", TrimmedTextWidget())
    domains = field("domains", NameListWidget())

    key_columns = ("name",)
    required_columns = ("name",)

    class Meta:
        model = Outlet
        name = "Outlets"
        fields = ("name", "aliases", "kind", "country", "homepage", "domains")
        export_order = fields

    def index(self) -> NameIndex:
        return self.cached("outlets", lambda: NameIndex(Outlet.objects.all()))

    def find_existing(self, row: dict) -> Outlet | None:
        name = normalise_name(row.get("name") or "")
        if not name:
            return None
        named = self.index().named(name)
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise ValidationError({"name": f"{len(named)} outlets are named “{name}”."})
        owners = self.index().aliased(name)
        if owners:
            raise ValidationError(
                {
                    "name": f"“{name}” is an alias of the outlet “{owners[0].name}”. Use that "
                    "name, or remove the alias from it first."
                }
            )
        return None

    def check_row(self, instance: Outlet, row: dict) -> dict[str, list[str]]:
        taken = []
        for alias in instance.aliases or []:
            others = [
                o
                for o in self.index().named(alias) + self.index().aliased(alias)
                if o.pk != instance.pk
            ]
            if others:
                taken.append(f"“{alias}” already names the outlet “{others[0].name}”.")
        return {"aliases": taken} if taken else {}

    def after_save_instance(self, instance, row, **kwargs):
        self.index().add(instance)


class PersonResource(SpreadsheetResource):
    """People, found by slug, or by name when the row has no slug."""

    slug = field("slug", TrimmedTextWidget())
    name = field("name", TrimmedTextWidget())
    aliases = field("aliases", NameListWidget())
    affiliation = field("affiliation", TrimmedTextWidget())
    description = field("description", TextWidget())

    key_columns = ("slug", "name")
    required_columns = ("name",)

    class Meta:
        model = Person
        name = "People"
        fields = ("slug", "name", "aliases", "affiliation", "description")
        export_order = fields

    def index(self) -> NameIndex:
        return self.cached("people", lambda: NameIndex(Person.objects.all()))

    def after_save_instance(self, instance, row, **kwargs):
        self.index().add(instance)

    def row_key(self, row: dict) -> tuple | None:
        slug = normalise_name(row.get("slug") or "")
        if slug:
            return ("slug", slug)
        name = name_key(row.get("name") or "")
        return ("name", name) if name else None

    def find_existing(self, row: dict) -> Person | None:
        slug = normalise_name(row.get("slug") or "")
        if slug:
            return Person.objects.filter(slug=slug).first()
        name = normalise_name(row.get("name") or "")
        if not name:
            return None
        named = self.index().named(name)
        if len(named) > 1:
            slugs = ", ".join(p.slug for p in named)
            raise ValidationError(
                {"name": f"{len(named)} people are named “{name}” ({slugs}); add the slug."}
            )
        return named[0] if named else None

    def check_row(self, instance: Person, row: dict) -> dict[str, list[str]]:
        if instance.slug:
            try:
                validate_unicode_slug(instance.slug)
            except ValidationError as exc:
                return {"slug": list(exc.messages)}
            clash = Person.objects.filter(slug=instance.slug).exclude(pk=instance.pk).first()
            if clash is not None:
                return {"slug": [f"The slug “{instance.slug}” belongs to {clash.name}."]}
        return {}


class SourceResource(SpreadsheetResource):
    """Sources, found by URL, or by title + outlet + date when they have no URL."""

    url = field("url", TrimmedTextWidget())
    title = field("title", TrimmedTextWidget())
    outlet = field("outlet", OutletWidget())
    authors = field("authors", ManyReferenceWidget(Person, PersonWidget()))
    kind = field("kind", ChoiceWidget(Source.Kind), default=Source.Kind.ARTICLE)
    published_on = field("published_on", IsoDateWidget())
    archived_url = field("archived_url", TrimmedTextWidget())
    tags = field("tags", TagsWidget())
    notes = field("notes", TextWidget())

    key_columns = ("url",)
    required_columns = ("url", "title")
    internal_columns = ("notes",)

    class Meta:
        model = Source
        name = "Sources"
        fields = (
            "url",
            "title",
            "outlet",
            "authors",
            "kind",
            "published_on",
            "archived_url",
            "tags",
            "notes",
        )
        export_order = fields

    def get_queryset(self):
        return Source.objects.with_related().order_by("pk")

    def row_key(self, row: dict) -> tuple | None:
        url = normalise_name(row.get("url") or "")
        if url:
            return ("url", url)
        values = tuple(name_key(str(row.get(c) or "")) for c in ("title", "outlet", "published_on"))
        return ("title", *values) if values[0] else None

    def find_existing(self, row: dict) -> Source | None:
        url = normalise_name(row.get("url") or "")
        if url:
            return Source.objects.filter(url=url).first()
        title = normalise_name(row.get("title") or "")
        if not title:
            return None
        try:
            outlet = self.cell("outlet", row)
            published_on = self.cell("published_on", row)
        except ValueError:
            return None  # The row is reported on those columns by import_instance.
        candidates = [
            s
            for s in Source.objects.filter(url="", outlet=outlet, published_on=published_on)
            if name_key(s.title) == name_key(title)
        ]
        if len(candidates) > 1:
            raise ValidationError(
                {"title": f"{len(candidates)} sources without a URL match “{title}”; add a URL."}
            )
        return candidates[0] if candidates else None
