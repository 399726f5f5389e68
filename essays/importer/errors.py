"""The importer's single error type and the wording shared by errors and warnings."""

from __future__ import annotations


def locate(filename: str | None, line: int | None, message: str) -> str:
    """Format ``message`` as "essay.txt, line 12: message" (parts omitted when unknown)."""
    where = filename or "<text>"
    if line is not None:
        where = f"{where}, line {line}"
    return f"{where}: {message}"


class EssayImportError(Exception):
    """Raised when a file cannot be turned into an essay at all.

    Carries where it happened so the admin and the management command can point an
    editor at the exact line: ``filename``, ``line`` (1-based, or None when the
    problem is the whole file) and ``message``.
    """

    def __init__(self, message: str, *, filename: str | None = None, line: int | None = None):
        self.filename = filename
        self.line = line
        self.message = message
        super().__init__(locate(filename, line, message))
