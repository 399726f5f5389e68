"""Recognise metadata lines (byline, date, canonical address) and web-page cruft."""

from __future__ import annotations

import re
from datetime import date

BYLINE = re.compile(r"^by\s+(?P<name>\S.*)$", re.IGNORECASE)
# What ends the name in a byline: a separator, a comma (", Staff Writer", ", June 2"),
# or a full stop after a word of two letters or more ("By Jane Doe. April 2012.").
_BYLINE_TAIL = re.compile(r"\s*(?:[|•·]|\s[-–—]\s|,|(?<=\w\w)\.(?:\s|$)).*$")
# "NAME, Staff Writer": a byline without "By", recognised by the job title after it.
_STAFF_BYLINE = re.compile(
    r"^(?P<name>[A-Z][\w.'’ -]{2,60}?),\s*(?:(?:senior|chief|contributing|special|foreign"
    r"|political|staff|associate)\s+)?(?:staff\s+)?(?:writer|reporter|correspondent|editor"
    r"|columnist|contributor)(?:\s+(?:for|at|of)\s+.{1,40})?\.?$",
    re.IGNORECASE,
)
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
    r"|listen to this article|save|bookmark|follow us(?: on \w+)?"
    r"|share (?:on|via|to) [\w .+]{1,20}|sign in|log in|log out|register|menu|search"
    r"|subscribe (?:to|for|today|now)\b[^.!?]{0,60}|sign up (?:for|to)\b[^.!?]{0,80}"
    r"|privacy(?: policy)?|terms (?:of (?:use|service)|and conditions)|cookie (?:policy|settings)"
    r"|back to top|skip to (?:main )?content|all rights reserved.{0,60}|©.{0,80}"
    r"|related(?: articles| stories| reading)?|more (?:stories|from \w+(?: \w+)?)"
    r"|continue reading|show comments|load more|most popular|trending"
    # A manuscript's stamp: "DRAFT 3 – not for circulation", "Embargoed until 6 May".
    r"|(?:draft(?: \d+(?:\.\d+)?)?\s*[-–—:,]?\s*)?(?:not for (?:circulation|publication"
    r"|distribution)|do not (?:circulate|distribute)|embargoed(?: until .{1,40})?|confidential)"
    r"|draft(?: \d+(?:\.\d+)?)?)[.!:]?$",
    re.IGNORECASE,
)
# Newspaper furniture in archived text: a page number ("A1", "B12", "Page 3"), a jump
# ("Continued on A14", "Continued from Page 1", "See STRIKE, A12"), an end mark ("End.",
# "-30-", "###"), and a running page header ("THE DAILY NEWS   A12   MONDAY, MARCH 14").
_PAGE = r"(?:[A-Z]{1,2}-?\d{1,3}|page\s+[A-Z]?\d{1,3}|p\.\s*\d{1,3})"
_FURNITURE = re.compile(
    rf"^(?:{_PAGE}|(?:continued|cont'?d\.?)\s+(?:on|from)\s+{_PAGE}"
    rf"|see\s+[A-Z][A-Z '’&-]{{1,40}},\s*{_PAGE}|end\.?|ends\.?|-+\s*30\s*-+|#{{3}}|\*{{3}})$",
    re.IGNORECASE,
)
_RUNNING_HEADER = re.compile(rf"^(?=.*\S\s{{2,}}\S)(?=.*\b{_PAGE}\b)[^a-z]{{8,120}}$")
# A dateline opening a report: a place in capitals, an optional region and agency,
# then a dash ("AQABA, Jordan -- ", "AMMAN, Jordan — ", "PORTNACRAIG, Argyll – ",
# "WASHINGTON (Reuters) - ").
DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Z'’.-]{2,}(?:\s+[A-Z][A-Z'’.-]+){0,3}"
    r"(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?(?:\s*\([A-Za-z .]{2,30}\))?"
    r"\s*(?:--|[—–-]))\s+(?=\S)"
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
    """For a byline (any whitespace, NBSP included), return the name and a date if the
    line also carries one. Forms: "By Jane Doe", "By Jane Doe | June 2, 2020", "By Jane
    Doe, Staff Writer", "By Jane Doe. April 2012.", "Jane Doe, Staff Writer"."""
    line = " ".join(line.split())
    staff = _STAFF_BYLINE.match(line)
    if staff and not BYLINE.match(line):
        name = staff.group("name")
        return (name, None) if len(name.split()) <= 6 else None
    m = BYLINE.match(line)
    if not m:
        return None
    raw = m.group("name")
    tail = _BYLINE_TAIL.search(raw)
    name = raw[: tail.start()] if tail else raw
    when = None
    if tail:
        rest = raw[tail.start() :].lstrip(" |•·-–—,.")
        when = parse_date(rest.rstrip(".")) or next(
            (parse_date(part.strip(" .")) for part in re.split(r"[|•·,]\s|\.\s", rest)), None
        )
    name = " ".join(name.split())
    if not name or len(name.split()) > 8 or name[0].islower():
        return None
    return name, when


def is_cruft(line: str) -> bool:
    """True for share buttons, advertisement markers, newspaper page and jump markers,
    running page headers, end marks, and similar furniture."""
    text = " ".join(line.split())
    if len(text) > 120:
        return False
    return bool(_CRUFT.match(text) or _FURNITURE.match(text) or _RUNNING_HEADER.match(line.strip()))


def dateline_length(paragraph: str) -> int:
    """Length of the dateline that opens ``paragraph`` ("AQABA, Jordan -- "), 0 if none.

    The place must be in capitals and followed by a dash, so an ordinary sentence that
    starts with an acronym ("NATO said …") is not taken for one."""
    m = DATELINE.match(paragraph)
    return m.end() if m else 0
