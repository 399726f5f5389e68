"""Turn uploaded bytes into text, refusing what is not text."""

from __future__ import annotations

import codecs

from .errors import EssayImportError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def check_size(size: int, *, max_bytes: int, filename: str | None) -> None:
    """Raise ``EssayImportError`` if ``size`` bytes exceeds ``max_bytes``."""
    if size > max_bytes:
        raise EssayImportError(
            f"file is {size:,} bytes, over the {max_bytes:,}-byte limit", filename=filename
        )


def decode_bytes(
    data: bytes, filename: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str, str]:
    """Decode ``data`` and say how: returns ``(text, encoding_name)``.

    Tries UTF-8, then UTF-8 with a byte-order mark (stripped), then cp1252 (what
    text copied on Windows usually is). Raises ``EssayImportError`` for empty or
    oversize input and for binary data: NUL bytes, or bytes cp1252 cannot map.
    """
    check_size(len(data), max_bytes=max_bytes, filename=filename)
    if not data.strip():
        raise EssayImportError("file is empty", filename=filename)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise EssayImportError("binary file (NUL byte), not text", filename=filename, line=line)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EssayImportError(
            "not valid text in UTF-8 or cp1252 (binary file?)", filename=filename, line=line
        ) from exc
