"""Markdown via markdown-it-py's tokenizer, whose source maps give line numbers."""

from __future__ import annotations

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..blocks import Block, Document, Reference

_MD = MarkdownIt("commonmark")


def read_markdown(text: str) -> Document:
    """Turn Markdown into blocks: ATX and Setext headings, paragraphs (also inside
    lists), ``>`` block quotations (flagged), code and raw HTML kept as paragraphs.

    Inline markup is reduced to its text; link targets are kept on the block.
    """
    tokens = _MD.parse(text)
    blocks: list[Block] = []
    quote_depth = 0
    pending: Token | None = None  # the heading_open / paragraph_open awaiting its inline
    for token in tokens:
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type in ("heading_open", "paragraph_open"):
            pending = token
        elif token.type == "inline" and pending is not None:
            line = pending.map[0] + 1 if pending.map else None
            content, starts, references, emphasis = _inline_text(token, line)
            if content.strip():
                is_heading = pending.type == "heading_open"
                blocks.append(
                    Block(
                        "heading" if is_heading else "paragraph",
                        content,
                        line,
                        level=int(pending.tag[1]) if is_heading else None,
                        blockquote=quote_depth > 0,
                        line_starts=starts,
                        references=references,
                        emphasis=emphasis,
                    )
                )
            pending = None
        elif token.type in ("fence", "code_block", "html_block"):
            content = token.content
            if token.type == "html_block":
                content = BeautifulSoup(content, "html.parser").get_text(" ")
            content = " ".join(content.split())
            if content:
                line = token.map[0] + 1 if token.map else None
                blocks.append(Block("paragraph", content, line, blockquote=quote_depth > 0))
    return Document(blocks)


def _inline_text(
    token: Token, line: int | None
) -> tuple[str, tuple[tuple[int, int], ...], tuple[Reference, ...], tuple[tuple[int, int], ...]]:
    parts: list[str] = []
    length = 0
    starts = [(0, line)] if line is not None else []
    references: list[Reference] = []
    emphasis: list[tuple[int, int]] = []
    open_links: list[tuple[int, str, str]] = []
    open_em: list[int] = []
    current = line
    for child in token.children or ():
        piece = ""
        if child.type in ("softbreak", "hardbreak"):
            piece = " "
            if current is not None:
                current += 1
                starts.append((length + 1, current))
        elif child.type == "link_open":
            href, title = child.attrs.get("href", ""), child.attrs.get("title", "")
            open_links.append((length, str(href), str(title or "")))
        elif child.type == "link_close" and open_links:
            begin, href, title = open_links.pop()
            references.append(Reference(begin, length, href, title))
        elif child.type == "em_open":
            open_em.append(length)
        elif child.type == "em_close" and open_em:
            begin = open_em.pop()
            if length > begin:
                emphasis.append((begin, length))
        elif child.type == "image":
            piece = child.content
        elif child.type in ("text", "text_special", "code_inline"):
            piece = child.content
        parts.append(piece)
        length += len(piece)
    return "".join(parts), tuple(starts), tuple(references), tuple(emphasis)
