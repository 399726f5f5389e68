"""The base resource and strict widgets every Counterpoint spreadsheet is read through.

Promises, for every resource built on `SpreadsheetResource`:

- rows are found by natural keys (names, URLs, slugs), never by database ids;
- a file is refused as a whole, before any row is read, when it has too many rows,
  unknown or duplicated columns, or lacks a required column;
- every problem in a row (unknown outlet, bad date, duplicate key, a rule of the
  model) is reported on that row, naming the column;
- model validation (`full_clean`) runs on every imported row;
- an import is one transaction: one bad row and nothing is written;
- a row that would change nothing is reported as skipped, so exporting and importing
  the same file reports 0 new and 0 updated.
"""

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from diff_match_patch import diff_match_patch
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Result

from essays.markup import contain_bidi
from spreadsheets.limits import ImportRefused, row_count_problem

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
# Strict widgets: a value that is not clearly what the column wants is an error.
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


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
        if _blank(value):
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
        if _blank(value):
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
        if _blank(value):
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
        if _blank(value):
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
        if _blank(value):
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
        if _blank(value):
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


# ---------------------------------------------------------------------------
# The import preview
# ---------------------------------------------------------------------------

_DIFF_RUNS = {
    diff_match_patch.DIFF_INSERT: '<ins style="background:#e6ffe6;">{}</ins>',
    diff_match_patch.DIFF_DELETE: '<del style="background:#ffe6e6;">{}</del>',
    diff_match_patch.DIFF_EQUAL: "<span>{}</span>",
}


class BidiContainedDiff(resources.Diff):
    """The preview's old → new diff of each cell, every run of it closed for bidi.

    A cell's diff is a row of runs (kept, removed, added). An RTL override left open in
    one run would reorder the runs after it on screen, so the preview would show another
    text than the file holds: each line of each run closes what it opens
    (`contain_bidi`, as the public pages do). Otherwise the stock diff, escaped the same.
    """

    def as_html(self) -> list[SafeString]:
        differ = diff_match_patch()
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            if old != new and self.new:
                old = ""
            runs = differ.diff_main(force_str(old), force_str(new))
            differ.diff_cleanupSemantic(runs)
            cells.append(mark_safe("".join(_diff_run(op, text) for op, text in runs if text)))
        return cells


def _diff_run(op: int, text: str) -> str:
    lines = "&para;<br>".join(escape(contain_bidi(line)) for line in text.split("\n"))
    return format_html(_DIFF_RUNS[op], mark_safe(lines))


# ---------------------------------------------------------------------------
# The base resource
# ---------------------------------------------------------------------------


def field(column: str, widget: widgets.Widget, *, attribute: str | None = None, **kwargs):
    """A resource Field whose column name and attribute default to `column`."""
    return Field(attribute=attribute or column, column_name=column, widget=widget, **kwargs)


class SpreadsheetResource(resources.ModelResource):
    """A ModelResource with natural keys, strict checks and all-or-nothing imports.

    Subclasses declare their fields and set:

    - `key_columns`: the columns naming a row (checked for duplicates within a file);
    - `required_columns`: columns a file must have (the key, usually);
    - `find_existing(row)`: the existing row the key names, None for a new one;
    - `check_row(instance, row)`: rules of the model beyond `full_clean`.
    """

    key_columns: ClassVar[tuple[str, ...]] = ()
    required_columns: ClassVar[tuple[str, ...]] = ()
    #: Fields that cannot be judged when another one is wrong: {"section": ("start",)}.
    depends_on_field: ClassVar[dict[str, tuple[str, ...]]] = {}

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        import_id_fields = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen_keys: dict[tuple, int] = {}
        self._row_of: dict[Any, int] = {}  # pk → the row of this file that names it
        self._row_number: int | None = None
        self._cache: dict[str, Any] = {}

    def get_diff_class(self):
        return BidiContainedDiff

    # -- hooks for subclasses ----------------------------------------------------

    def find_existing(self, row: dict) -> models.Model | None:
        raise NotImplementedError

    def row_key(self, row: dict) -> tuple | None:
        """The natural key of `row` for spotting duplicates, or None if incomplete."""
        values = tuple(name_key(row.get(column) or "") for column in self.key_columns)
        return values if any(values) else None

    def check_row(self, instance: models.Model, row: dict) -> dict[str, list[str]]:
        return {}

    def cell(self, column: str, row: dict):
        """The cleaned value of `column` in `row`; None if the sheet has no such column."""
        if column not in row:
            return None
        return self.fields[column].clean(row)

    def cached(self, key: str, factory):
        """A value computed once per import (lookups shared by the rows of one file)."""
        if key not in self._cache:
            self._cache[key] = factory()
        return self._cache[key]

    # -- the whole file ------------------------------------------------------------

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ) -> Result:
        """Import `dataset` in one transaction; an invalid row rolls back every row."""
        self._seen_keys, self._row_of, self._cache = {}, {}, {}
        for resource_field in self.fields.values():
            if hasattr(resource_field.widget, "reset"):
                resource_field.widget.reset()
        problems = self.dataset_problems(dataset)
        if problems:
            result = self.get_result_class()()
            result.diff_headers = self.get_diff_headers()
            result.total_rows = len(dataset)
            for problem in problems:
                result.append_base_error(self.get_error_result_class()(ImportRefused(problem)))
            if raise_errors:
                raise ImportRefused(" ".join(problems))
            return result
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=use_transactions,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=rollback_on_validation_errors,
            **kwargs,
        )

    def dataset_problems(self, dataset) -> list[str]:
        """What makes the whole file unreadable; also tidies header spelling in place."""
        problem = row_count_problem(len(dataset))
        if problem:
            return [problem]
        problems = self.surrogate_problems(dataset)
        if problems:
            return problems
        known = {f.column_name.casefold(): f.column_name for f in self.fields.values()}
        headers = list(dataset.headers or [])
        if not headers:
            return ["The file has no header row. The first row must name the columns."]

        keep, canonical, problems = [], [], []
        for index, header in enumerate(headers):
            name = normalise_name(header or "")
            if not name:
                if any(not _blank(row[index]) for row in dataset):
                    problems.append(f"Column {index + 1} has values but no header.")
                continue
            column = known.get(name.casefold())
            if column is None:
                problems.append(f"Unknown column “{name}”.")
                continue
            if column in canonical:
                problems.append(f"The column “{column}” appears twice.")
                continue
            keep.append(index)
            canonical.append(column)
        missing = [c for c in self.required_columns if c not in canonical]
        if missing:
            problems.append("Missing column(s): " + ", ".join(f"“{c}”" for c in missing) + ".")
        if problems:
            columns = ", ".join(f.column_name for f in self.get_export_fields())
            problems.append(f"This sheet's columns are: {columns}.")
            return problems

        if keep != list(range(len(headers))) or canonical != headers:
            rows = [[row[i] for i in keep] for row in dataset]
            dataset.wipe()
            dataset.headers = canonical
            for row in rows:
                dataset.append(row)
        return []

    def surrogate_problems(self, dataset) -> list[str]:
        """Cells holding a lone surrogate, named by row and column but never quoted.

        Checked before anything else reads the file, and for the whole file rather than
        per row as NUL is: every later message may quote the cell, and the preview
        shows a refused row's cells, but no page can hold a surrogate (a 500).
        """
        why = "which is not text. Remove it."
        headers = list(dataset.headers or [])
        problems = [
            f"Column {index}'s header holds half of a UTF-16 surrogate pair ({code}), {why}"
            for index, header in enumerate(headers, 1)
            if (code := unpaired_surrogate(header))
        ]
        if problems:
            return problems
        for number, row in enumerate(dataset, 1):
            for index, (header, value) in enumerate(zip(headers, row, strict=False), 1):
                code = unpaired_surrogate(value)
                if code:
                    column = normalise_name(header or "") or f"column {index}"
                    problems.append(
                        f"Row {number}, {column}: the cell holds half of a UTF-16 surrogate "
                        f"pair ({code}), {why}"
                    )
        return problems

    # -- one row ------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        self._row_number = kwargs.get("row_number")
        # PostgreSQL cannot store NUL and every admin form refuses it; so does every cell,
        # before any lookup reaches the database, with the forms' message.
        nul = [c for c, value in row.items() if any("\x00" in t for t in cell_texts(value))]
        if nul:
            raise ValidationError({c: str(ProhibitNullCharactersValidator.message) for c in nul})

    def before_save_instance(self, instance, row, **kwargs):
        # Models with django-simple-history record the importing user on their history row.
        user = kwargs.get("user")
        if user is not None and getattr(user, "pk", None):
            instance._history_user = user

    def get_instance(self, instance_loader, row):
        key = self.row_key(row)
        if key is not None:
            first = self._seen_keys.get(key)
            if first is not None:
                column = self.key_columns[0]
                raise ValidationError(
                    {
                        column: f"Duplicate of row {first}: the same "
                        + ", ".join(self.key_columns)
                        + " appear twice in this file."
                    }
                )
            self._seen_keys[key] = self._row_number or 0
        existing = self.find_existing(row)
        if existing is not None:
            # Two spellings of one key (a source by URL, then by title; a person by
            # slug, then by name) reach the same row: the second would overwrite the first.
            first = self._row_of.setdefault(existing.pk, self._row_number or 0)
            if first != (self._row_number or 0):
                raise ValidationError(
                    {
                        self.key_columns[0]: f"Duplicate of row {first}: both rows are the same "
                        f"{existing._meta.verbose_name}, and the second would overwrite the first."
                    }
                )
        return existing

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        self._row_of.setdefault(instance.pk, self._row_number or 0)

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for resource_field in self.get_import_fields():
            is_many = isinstance(resource_field.widget, widgets.ManyToManyWidget)
            if is_many and not resource_field.readonly and resource_field.column_name in row:
                try:
                    resource_field.clean(row)
                except ValueError as exc:
                    errors.setdefault(resource_field.column_name, []).append(str(exc))
        for column, messages in self.check_row(instance, row).items():
            errors.setdefault(column, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """`full_clean` the row, except fields the model derives itself (slugs, flags)."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors) | {f.name for f in instance._meta.fields if not f.editable}
        for wrong in errors:
            exclude.update(self.depends_on_field.get(wrong, ()))
        try:
            instance.full_clean(exclude=exclude, validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Skip a row that names an existing object and would change none of its values."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        for resource_field in self.get_import_fields():
            if resource_field.readonly or resource_field.column_name not in row:
                continue
            if isinstance(resource_field.widget, widgets.ManyToManyWidget):
                current = resource_field.get_value(original)
                if not resource_field.widget.same(resource_field.clean(row), current):
                    return False
            elif resource_field.get_value(instance) != resource_field.get_value(original):
                return False
        return True


def row_errors(result: Result) -> list[str]:
    """Every problem in an import result as one line each, for people to read.

    "File: …" for whole-file problems, "Row 3, outlet: Unknown outlet “X”." for a
    field of a row, "Row 3: …" for a row as a whole. Row numbers count data rows
    from 1, the way a spreadsheet shows them below its header row.
    """
    lines = [f"File: {error.error}" for error in result.base_errors]
    for error_row in result.error_rows:
        lines.extend(f"Row {error_row.number}: {error.error}" for error in error_row.errors)
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                if column == NON_FIELD_ERRORS:
                    lines.append(f"Row {invalid.number}: {message}")
                else:
                    lines.append(f"Row {invalid.number}, {column}: {message}")
    return lines
