"""How big an import may be. The admin form, the resources and the command line share these."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat


class ImportRefused(Exception):
    """A whole file was refused before any row was read (too big, wrong columns…)."""


def max_bytes() -> int:
    return int(settings.COUNTERPOINT_IMPORT_MAX_BYTES)


def max_rows() -> int:
    return int(settings.COUNTERPOINT_IMPORT_MAX_ROWS)


def file_size_problem(size: int) -> str | None:
    """A message for the user if a file of `size` bytes is over the limit, else None."""
    if size > max_bytes():
        return (
            f"The file is {filesizeformat(size)}; imports are limited to "
            f"{filesizeformat(max_bytes())}. Split it into smaller files."
        )
    return None


def row_count_problem(rows: int) -> str | None:
    """A message for the user if `rows` data rows are over the limit, else None."""
    if rows > max_rows():
        return (
            f"The file has {rows} rows; imports are limited to {max_rows()} rows at a time. "
            "Split it into smaller files."
        )
    return None
