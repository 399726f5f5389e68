"""Recognise metadata lines (byline, date, canonical address) and web-page cruft."""

from __future__ import annotations

import re
from datetime import date

BYLINE = re.compile(r"^by\s+(?P<name>\S.*)$", re.IGNORECASE)
_BYLINE_TAIL = re.compile(r"\s*(?:[|•·]|\s[-–—]\s|,\s*(?=\w+\s+\d)).*$")
PUBLISHED_AT = re.compile(
    r"^(?:originally\s+)?(?:published|posted|first published)\s*(?:at|on|in)?\s*:?\s*"
    r"(?P<url>https?://\S+?)[.)]?$",
    re.IGNORECASE,
)
# A label alone ("Read also:") announces a teaser title on the next line, which
# therefore goes too; with the title on the same line only that line goes.
READ_ALSO = re.compile(
    r"^(?:read (?:also|more)|also read|see also|related(?: articles?| stories| content)?"
    r"|recommended(?: for you)?|more on this(?: story)?|you may also like|most read"
    r"|don'?t miss)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_CRUFT = re.compile(
    r"^(?:share(?: this)?(?: article| story| page| post)?(?: on \w+)?|tweet|email|e-mail|print"
    r"|copy link|facebook|twitter|whatsapp|linkedin|reddit|telegram|advertisement|advert|ad"
    r"|sponsored(?: content)?|scroll to continue(?: with content)?|subscribe(?: now)?"
    r"|sign up(?: for (?:our|the) newsletter)?|newsletter|comments?(?: \(\d+\))?|\d+ comments?"
    r"|leave a comment|click here to .{0,60}|image:? .{0,80}|photo:? .{0,80}|getty images"
    r"|listen to this article|save|bookmark|follow us(?: on \w+)?)[.!:]?$",
    re.IGNORECASE,
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DATE_FORMS = [
    re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$"),
    re.compile(rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})$"),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$"),
]
_DATE_PREFIX = re.compile(
    r"^(?:(?:published|updated|posted|date)\s*(?:on)?\s*:?\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?",
    re.IGNORECASE,
)


def parse_date(line: str) -> str | None:
    """Return the ISO date ("2020-06-02") a date line states, or None.

    Accepts "June 2, 2020", "2 June 2020", "Jun. 2nd, 2020", "2020-06-02", with an
    optional "Published:"/"Updated" prefix and weekday. Impossible dates are None.
    """
    text = _DATE_PREFIX.sub("", line.strip()).strip()
    for form in _DATE_FORMS:
        m = form.match(text)
        if not m:
            continue
        month = m.group("month")
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        if number is None:
            return None
        try:
            return date(int(m.group("year")), number, int(m.group("day"))).isoformat()
        except ValueError:
            return None
    return None


def byline_author(line: str) -> tuple[str, str | None] | None:
    """For a "By NAME" line (any whitespace, NBSP included), return the name and a
    date if the line also carries one ("By Jane Doe | June 2, 2020")."""
    m = BYLINE.match(line.strip())
    if not m:
        return None
    raw = m.group("name")
    tail = _BYLINE_TAIL.search(raw)
    name = raw[: tail.start()] if tail else raw
    when = parse_date(raw[tail.start() :].lstrip(" |•·-–—,")) if tail else None
    name = " ".join(name.split())
    if not name or len(name.split()) > 8 or name[0].islower():
        return None
    return name, when


def is_cruft(line: str) -> bool:
    """True for share buttons, advertisement markers and similar page furniture."""
    return len(line) <= 100 and bool(_CRUFT.match(line.strip()))
