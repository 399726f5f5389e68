"""Cells and widgets for Counterpoint's spreadsheets: name lists, and strict widgets that
refuse a value unless it is clearly what the column wants (naming the problem)."""

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import timezone
from import_export import widgets

# ---------------------------------------------------------------------------
# Cells holding several names: "al-Jazeera, Al Jazeera, \"Reuters, Ltd\""
# ---------------------------------------------------------------------------


def normalise_name(value: str) -> str:
    """One spelling per name: whitespace (including non-breaking spaces) collapsed."""
    return " ".join(str(value).split())


def name_key(value: str) -> str:
    """The form two spellings are compared in: normalised and case-folded."""
    return normalise_name(value).casefold()


def split_names(value: Any) -> list[str]:
    """Names from a comma-separated cell; a name containing a comma is double-quoted.

    Line breaks also separate names. Blank entries are dropped and repeats (compared
    case-insensitively) are kept once, in first-seen spelling.
    """
    if value is None:
        return []
    if isinstance(value, list | tuple):
        items = [str(item) for item in value]
    else:
        text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\n", ",")
        items = next(csv.reader(io.StringIO(text), skipinitialspace=True), [])
    seen: dict[str, str] = {}
    for item in items:
        name = normalise_name(item)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def join_names(names: Iterable[str]) -> str:
    """The cell `split_names` reads back as `names`."""
    out = []
    for name in names:
        if any(ch in name for ch in ',"'):
            name = '"' + name.replace('"', '""') + '"'
        out.append(name)
    return ", ".join(out)


# ---------------------------------------------------------------------------
# What a cell holds
# ---------------------------------------------------------------------------


_SURROGATE = re.compile("[\ud800-\udfff]")


def cell_texts(value: Any) -> Iterator[str]:
    """The text in a cell: the cell itself, or every string in a JSON list or object."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in (*value, *value.values()):
            yield from cell_texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from cell_texts(item)


def unpaired_surrogate(value: Any) -> str | None:
    """The first half of a UTF-16 surrogate pair standing alone in a cell, as "U+D800",
    or None. Such a code point is not text: it has no UTF-8 form, so no database, page
    or terminal can take it. JSON's "\\ud800" and XLSX's `_xD800_` spell one.
    """
    for text in cell_texts(value):
        found = _SURROGATE.search(text)
        if found:
            return f"U+{ord(found.group()):04X}"
    return None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------------------
# Strict widgets: a value that is not clearly what the column wants is an error.
# ---------------------------------------------------------------------------


class TextWidget(widgets.CharWidget):
    """Text stored verbatim; an empty cell is the empty string."""

    def __init__(self, **kwargs):
        super().__init__(coerce_to_string=True, allow_blank=True)

    def clean(self, value, row=None, **kwargs) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class NameListWidget(widgets.Widget):
    """A list of names (an alias list) as one comma-separated cell."""

    def clean(self, value, row=None, **kwargs) -> list[str]:
        return split_names(value)

    def render(self, value, obj=None, **kwargs) -> str:
        return join_names(value or [])


class ChoiceWidget(widgets.Widget):
    """A value from a TextChoices; the stored value or its label, in any case."""

    def __init__(self, choices: type[models.TextChoices], **kwargs):
        self.choices = choices
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[str(value).casefold()] = value
            self.lookup[str(label).casefold()] = value
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs) -> str:
        if is_blank(value):
            return ""
        found = self.lookup.get(normalise_name(value).casefold())
        if found is None:
            allowed = ", ".join(str(v) for v in self.choices.values)
            raise ValueError(f"“{value}” is not one of: {allowed}.")
        return found

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else str(value)


class StrictBooleanWidget(widgets.Widget):
    """Yes/no: 1/0, true/false, yes/no, y/n in any case; an empty cell is no value."""

    TRUE = {"1", "true", "yes", "y"}
    FALSE = {"0", "false", "no", "n"}

    def clean(self, value, row=None, **kwargs) -> bool | None:
        if isinstance(value, bool):
            return value
        if is_blank(value):
            return None
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        text = str(value).strip().casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(f"“{value}” is not yes or no; write 1 or 0.")

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return bool(value)
        return "1" if value else "0"


class IsoDateWidget(widgets.Widget):
    """A date written YYYY-MM-DD (or a spreadsheet date cell). Nothing ambiguous like 3/5/24.

    A date-time is written as its day in the site's time zone, as the ClaimReview feed
    writes it.
    """

    def clean(self, value, row=None, **kwargs) -> date | None:
        if is_blank(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text) if len(text) == 10 else _bad_date(text)
        except ValueError:
            return _bad_date(text)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat()


def _bad_date(text: str):
    raise ValueError(f"“{text}” is not a date; write dates as YYYY-MM-DD, e.g. 2024-05-03.")


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number; 3.5 or "three" is an error, not 3 or a crash."""

    def clean(self, value, row=None, **kwargs) -> int | None:
        if is_blank(value):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"“{value}” is not a whole number.") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"“{value}” is not a whole number.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        # Plain digits whatever the locale: "1,234" would not read back as a number.
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(int(value))


class DecimalNumberWidget(widgets.FloatWidget):
    """A number such as 0.75."""

    def clean(self, value, row=None, **kwargs) -> float | None:
        if is_blank(value):
            return None
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(f"“{value}” is not a number.") from None
        if not math.isfinite(number):
            raise ValueError(f"“{value}” is not a number.")
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return repr(float(value))


class ReferenceWidget(widgets.Widget):
    """Base for widgets that name another row by a natural key, with a per-import cache.

    Subclasses implement `resolve(value, row)` (raise ValueError with a message naming
    the value) and `render`. `reset()` drops the cache; resources call it at the start
    of every import so no lookup outlives the transaction it was made in.
    """

    def __init__(self, **kwargs):
        self._cache: dict[str, Any] = {}
        super().__init__(**kwargs)

    def reset(self) -> None:
        self._cache = {}

    def cached(self, key: str, factory):
        if key not in self._cache:
            self._cache[key] = factory()
        return self._cache[key]

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        return self.resolve(normalise_name(value) if isinstance(value, str) else value, row)

    def resolve(self, value, row):
        raise NotImplementedError


class ManyReferenceWidget(widgets.ManyToManyWidget):
    """Several references in one comma-separated cell, resolved by `item_widget`.

    Being a ManyToManyWidget, import-export saves it after the row itself;
    `SpreadsheetResource` validates it before that, so errors land on the row.
    """

    def __init__(self, model, item_widget: ReferenceWidget, **kwargs):
        self.item_widget = item_widget
        super().__init__(model, **kwargs)

    def reset(self) -> None:
        self.item_widget.reset()

    def clean(self, value, row=None, **kwargs) -> list:
        found, problems = [], []
        for name in split_names(value):
            try:
                found.append(self.item_widget.resolve(name, row))
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise ValueError(" ".join(problems))
        return list(dict.fromkeys(found))

    def render(self, value, obj=None, **kwargs) -> str:
        if value is None:
            return ""
        return join_names(self.item_widget.render(item) for item in value.all())

    def same(self, cleaned: list, current) -> bool:
        return {obj.pk for obj in cleaned} == {obj.pk for obj in current.all()}


class TagsWidget(widgets.ManyToManyWidget):
    """django-taggit tags as comma-separated names (compared case-insensitively).

    A name longer than the tag table holds is refused here, as the admin's tag field
    does: taggit saves tags unchecked, so it was a database error on PostgreSQL (not
    naming the column) and silently kept on SQLite.
    """

    def __init__(self, **kwargs):
        from taggit.models import Tag

        super().__init__(Tag, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs) -> list[str]:
        names = split_names(value)
        limit = self.model._meta.get_field("name").max_length
        too_long = [name for name in names if len(name) > limit]
        if too_long:
            raise ValueError(
                f"A tag may have at most {limit} characters; this one has "
                f"{len(too_long[0])}: “{too_long[0][:40]}…”."
            )
        return names

    def render(self, value, obj=None, **kwargs) -> str:
        if value is None:
            return ""
        return join_names(sorted((tag.name for tag in value.all()), key=str.casefold))

    def same(self, cleaned: list[str], current) -> bool:
        return {name.casefold() for name in cleaned} == {t.name.casefold() for t in current.all()}
