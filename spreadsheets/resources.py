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

from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Result

from spreadsheets.limits import ImportRefused, row_count_problem
from spreadsheets.preview import BidiContainedDiff
from spreadsheets.widgets import cell_texts, is_blank, name_key, normalise_name, unpaired_surrogate

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
    #: Columns of internal text (never shown to readers or partners): left out of every
    #: export unless the exporter asks for them and holds `export_internal_<model>`.
    internal_columns: ClassVar[tuple[str, ...]] = ()
    #: Fields that cannot be judged when another one is wrong: {"section": ("start",)}.
    depends_on_field: ClassVar[dict[str, tuple[str, ...]]] = {}

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        import_id_fields = []

    def __init__(self, *, include_internal: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.include_internal = include_internal
        self._seen_keys: dict[tuple, int] = {}
        self._row_of: dict[Any, int] = {}  # pk → the row of this file that names it
        self._row_number: int | None = None
        self._cache: dict[str, Any] = {}

    def get_export_fields(self, selected_fields=None):
        fields = super().get_export_fields(selected_fields)
        if self.include_internal:
            return fields
        return [f for f in fields if f.column_name not in self.internal_columns]

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
                if any(not is_blank(row[index]) for row in dataset):
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
