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


def max_cells() -> int:
    return int(settings.COUNTERPOINT_IMPORT_MAX_CELLS)


def max_unzipped_bytes() -> int:
    return int(settings.COUNTERPOINT_IMPORT_MAX_UNZIPPED_BYTES)


# Rows read in all, blank ones included: a sheet formatted down to its last row is fine,
# three million blank rows are not worth reading to the end.
def max_scanned_rows() -> int:
    return max_rows() * 10


def scanned_rows_problem() -> str:
    return (
        f"The file has over {max_scanned_rows():,} rows (blank ones included); imports are "
        f"limited to {max_rows()} rows at a time. Split it into smaller files, or delete "
        "the blank rows at its end."
    )


def bounded_rows(rows) -> tuple[list, list[list]]:
    """The header and data rows of `rows` (an iterator of cell lists), read one at a time.

    Stops with ImportRefused as soon as the file is over a limit (data rows, cells, rows
    read), so a huge file costs no more than its first rows: nothing is built for it.
    Entirely blank rows are skipped.
    """
    header: list | None = None
    data: list[list] = []
    cells = 0
    for scanned, row in enumerate(rows, start=1):
        if scanned > max_scanned_rows():
            raise ImportRefused(scanned_rows_problem())
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        if not row:
            continue
        cells += len(row)
        if cells > max_cells():
            raise ImportRefused(
                f"The file has over {max_cells():,} cells; imports are limited to that many "
                "at a time. Split it into smaller files, or remove unused columns."
            )
        if header is None:
            header = row
            continue
        data.append(row)
        if len(data) > max_rows():
            raise ImportRefused(
                f"The file has more than {max_rows()} rows; imports are limited to "
                f"{max_rows()} rows at a time. Split it into smaller files."
            )
    return header or [], data


def unzipped_size_problem(size: int) -> str | None:
    """A message if an XLSX (a zip) would unpack to more than the limit, else None."""
    if size > max_unzipped_bytes():
        return (
            f"The spreadsheet unpacks to {filesizeformat(size)}; imports are limited to "
            f"{filesizeformat(max_unzipped_bytes())} unpacked. Split it into smaller files."
        )
    return None
