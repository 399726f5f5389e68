"""The two pieces of a public page repeated once per claim and per source: the evidence
card beside a claim and the citation of a source, built in Python.

A long essay renders them thousands of times (1,000 claims, 2,000 counter-evidence
items); as template includes they cost more than the rest of the page together. The
markup is lean on purpose (the page's weight is mostly these cards): each label once per
card, no class a stylesheet can reach through its parent, no whitespace between tags.
Every value is escaped by format_html; HTML arrives already sanitised (summaries are
rendered and cleaned when their row is saved).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

Data = Mapping[str, Any]

# Constant markup (no value in it, nothing to escape).
STILL_CHECKED = mark_safe(  # noqa: S308
    '<p class="under-review-note">Still being checked: this claim has no verdict yet.</p>'
)
NO_EVIDENCE_YET = mark_safe('<p class="no-evidence">No counter-evidence published yet.</p>')  # noqa: S308
NONE_FOUND = mark_safe('<p class="no-evidence">No counter-evidence: our review found none.</p>')  # noqa: S308
STANDALONE_TITLE = mark_safe('<span class="visually-hidden">Verdict and counter-evidence</span>')  # noqa: S308


def _date(value) -> SafeString:
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "j F Y")
    )


def citation(source: Data) -> SafeString:
    """Authors, title (linked), outlet, date and archived copy of one source, as a <p>.

    The archived copy's link is named by its paragraph ("archived copy" of this source);
    links to sources carry rel=nofollow: we cite them, we do not vouch for them.
    """
    title = (
        format_html('<a href="{}" rel="nofollow" dir="auto">{}</a>', source["url"], source["title"])
        if source["url"]
        else format_html("<bdi>{}</bdi>", source["title"])
    )
    parts = [format_html("<cite>{}</cite>", title)]
    if source["authors"]:
        parts.insert(0, format_html_join(", ", "<bdi>{}</bdi>", ((n,) for n in source["authors"])))
    if source["outlet"]:
        parts.append(format_html("<bdi>{}</bdi>", source["outlet"]))
    if source.get("published_date"):
        parts.append(_date(source["published_date"]))
    archived = (
        format_html(' (<a href="{}" rel="nofollow">archived copy</a>)', source["archived_url"])
        if source["archived_url"]
        else ""
    )
    return format_html('<p class="citation">{}{}</p>', mark_safe(", ".join(parts)), archived)  # noqa: S308 - each part built by format_html


def _evidence_item(item: Data) -> SafeString:
    return format_html(
        '<li><p class="stance">{}</p><div dir="auto">{}</div>{}</li>',
        item["stance_label"],
        item["summary_html"],
        item["source"]["citation"] if item["source"] else "",
    )


def _correction(entry: Data) -> SafeString:
    return format_html(
        '<p class="claim-correction"><strong>{} {}:</strong> {}</p>',
        "Corrected" if entry["is_correction"] else "Updated",
        _date(entry["date"]),
        entry["text"],
    )


def _findings(claim: Data) -> SafeString:
    """What the review found: the explanation, corrections and the counter-evidence."""
    if not claim["verdict"]:
        explanation = STILL_CHECKED
    elif claim["verdict_summary"]:
        explanation = format_html(
            '<div class="verdict-summary" dir="auto">{}</div>', claim["verdict_summary_html"]
        )
    else:
        explanation = ""
    corrections = format_html_join("", "{}", ((_correction(e),) for e in claim["corrections"]))
    if claim["evidence"]:
        evidence = format_html(
            '<ul class="evidence-list">{}</ul>',
            format_html_join("", "{}", ((_evidence_item(i),) for i in claim["evidence"])),
        )
    elif not claim["verdict"]:
        evidence = NO_EVIDENCE_YET
    elif claim["reviewed_date"]:
        evidence = format_html(
            '<p class="no-evidence">No counter-evidence: our review, completed {}, found none.</p>',
            _date(claim["reviewed_date"]),
        )
    else:
        evidence = mark_safe(
            '<p class="no-evidence">No counter-evidence: our review found none.</p>'
        )  # noqa: S308
    return format_html("{}{}{}", explanation, corrections, evidence)


def evidence_card(claim: Data, *, standalone: bool = False) -> SafeString:
    """The <aside> with a claim's verdict, explanation and counter-evidence.

    Beside the article's text it is titled by the claim (linking to its permalink); on the
    claim's own page (`standalone`), whose heading is the claim, by its verdict alone.
    """
    ident, verdict = claim["id"], claim["verdict_key"]
    title = (
        mark_safe('<span class="visually-hidden">Verdict and counter-evidence</span>')  # noqa: S308
        if standalone
        else format_html(
            '<a href="{}" dir="auto">{}</a>', claim["permalink"], claim["short_statement"]
        )
    )
    return format_html(
        '<aside class="evidence verdict-{}" id="evidence-{}" data-evidence-for="{}" '
        'aria-labelledby="evidence-{}-title" tabindex="-1">'
        '<h3 id="evidence-{}-title"><span class="verdict-badge verdict-{}">{}</span> {}</h3>'
        "{}</aside>",
        verdict, ident, ident, ident, ident, verdict, claim["verdict_label"], title,
        _findings(claim),
    )  # fmt: skip
