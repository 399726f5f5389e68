"""Whole-file export and import outside the admin, for the commands and for scripts.

Same resources, same rules as the admin: the same size and row limits, the same
per-row checks, one transaction per import.
"""

from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from import_export.results import Result, RowResult
from tablib import Dataset

from spreadsheets.formats import FORMATS_BY_NAME, SpreadsheetCSV, format_named, mark_internal
from spreadsheets.limits import ImportRefused, file_size_problem
from spreadsheets.resources import SpreadsheetResource

# Model name → resource. Other spellings accepted by `resource_named` are listed below.
RESOURCES = {
    "outlet": "sources.resources.OutletResource",
    "person": "sources.resources.PersonResource",
    "source": "sources.resources.SourceResource",
    "quotation": "essays.resources.QuotationResource",
    "claim": "essays.resources.ClaimResource",
    "counterevidence": "review.resources.CounterEvidenceResource",
}
_SPELLINGS = {"people": "person", "counter-evidence": "counterevidence"}


def resource_named(name: str) -> type[SpreadsheetResource]:
    """The resource for a model named like "outlet", "Outlets", "sources.outlet" or "people".

    Raises LookupError naming the models that have spreadsheets.
    """
    key = name.strip().lower().rsplit(".", 1)[-1].replace("_", "")
    key = _SPELLINGS.get(key, key)
    if key not in RESOURCES and key.endswith("s") and key[:-1] in RESOURCES:
        key = key[:-1]
    if key not in RESOURCES:
        raise LookupError(
            f"No spreadsheet for “{name}”. Models with spreadsheets: {', '.join(RESOURCES)}."
        )
    return import_string(RESOURCES[key])


def permission_for(resource_class: type[SpreadsheetResource], action: str) -> str:
    """The permission a user needs to `action` ("import" or "export") this resource."""
    opts = resource_class._meta.model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def export_bytes(
    resource_class: type[SpreadsheetResource],
    *,
    file_format: str,
    include_internal: bool = False,
    user=None,
) -> bytes:
    """Every row of the resource's model as a file in `file_format` (csv, xlsx, json).

    CSV carries a byte-order mark so spreadsheet programs read it as UTF-8 (names in
    Arabic script and curly quotes survive); formula-like cells are escaped. Internal
    columns (`internal_columns`) are left out unless `include_internal` is asked for by a
    `user` holding `export_internal_<model>`; the file then says so before anything else.
    """
    fmt = format_named(file_format)
    internal = include_internal and bool(resource_class.internal_columns)
    if internal and not (user and user.has_perm(permission_for(resource_class, "export_internal"))):
        raise PermissionDenied(
            "Exporting internal fields needs the permission "
            f"“{permission_for(resource_class, 'export_internal')}”."
        )
    resource = resource_class(include_internal=internal)
    dataset = resource.export(force_native_type=fmt.is_binary())
    data = _as_bytes(fmt, fmt.export_data(dataset))
    if internal:
        data = mark_internal(data, file_format, resource_class.internal_columns)
    return data


def _as_bytes(fmt, data) -> bytes:
    if isinstance(data, bytes):
        return data
    return data.encode("utf-8-sig" if isinstance(fmt, SpreadsheetCSV) else "utf-8")


def format_for_filename(filename: str) -> str:
    """The format name ("csv", "xlsx", "json") a file's extension implies, or LookupError."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS_BY_NAME:
        raise LookupError(
            f"Cannot tell the format of “{filename}”; name it .csv, .xlsx or .json, "
            "or pass --format."
        )
    return extension


def read_dataset(data: bytes, *, file_format: str) -> Dataset:
    """Parse an uploaded file, refusing it (ImportRefused) if too big or unreadable."""
    problem = file_size_problem(len(data))
    if problem:
        raise ImportRefused(problem)
    fmt = format_named(file_format)
    try:
        return fmt.create_dataset(data)
    except ImportRefused:
        raise
    except Exception as exc:  # tablib, csv, json and openpyxl each raise their own.
        raise ImportRefused(
            f"The file could not be read as {file_format.upper()} ({type(exc).__name__}). "
            "Check that it is the format you said it is."
        ) from exc


def import_bytes(
    resource_class: type[SpreadsheetResource],
    *,
    data: bytes,
    file_format: str,
    dry_run: bool,
    user=None,
) -> Result:
    """Import a file in one transaction; with `dry_run`, or any error, nothing is written.

    With a `user`, they must hold the model's import permission (PermissionDenied
    otherwise) and new counter-evidence is recorded as theirs. Without one the caller
    is trusted, as a shell on the server is.
    """
    if user is not None and not user.has_perm(permission_for(resource_class, "import")):
        raise PermissionDenied(
            f"{user.get_username()} may not import {resource_class._meta.name.lower()}."
        )
    dataset = read_dataset(data, file_format=file_format)
    return resource_class().import_data(dataset, dry_run=dry_run, user=user)


def summary(result: Result) -> str:
    """ "3 new, 1 updated, 5 unchanged, 0 invalid" for an import result."""
    totals = result.totals
    return (
        f"{totals[RowResult.IMPORT_TYPE_NEW]} new, {totals[RowResult.IMPORT_TYPE_UPDATE]} updated, "
        f"{totals[RowResult.IMPORT_TYPE_SKIP]} unchanged, "
        f"{totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR]} with errors"
    )
