"""The pieces of a public page repeated once per claim, quotation or source: a claim's
verdict marker, the evidence card beside it, who said a quotation and where, and the
citation of a source, built in Python.

A long essay renders them thousands of times (1,000 claims, 2,000 counter-evidence
items); as template includes they cost more than the rest of the page together, and even
format_html's lazy-string checks cost more than the escaping. So the cards are f-strings
in which every value from the snapshot goes through `_e` (html.escape, as Django's
escape does); only HTML sanitised when its row was saved (summaries) and the citations
built here go in as they are. The markup is lean on purpose (the page's weight is mostly
these cards): each label once per card, no class a stylesheet can reach through its
parent, no whitespace between tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe

from publishing.structured_data import UNDER_REVIEW

Data = Mapping[str, Any]


def _e(value: object) -> str:
    """`value` as HTML text: & < > " ' escaped (django.utils.html.escape, minus its checks
    for lazy strings, which the snapshot's plain strings never are)."""
    return escape(str(value), quote=True)


def _date(value) -> str:
    return f'<time datetime="{value.isoformat()}">{_e(date_format(value, "j F Y"))}</time>'


def citation(source: Data) -> SafeString:
    """Authors, title (linked), outlet, date and archived copy of one source, as a <p>.

    The archived copy's link is named by its paragraph ("archived copy" of this source);
    links to sources carry rel=nofollow: we cite them, we do not vouch for them.
    """
    title = (
        f'<a href="{_e(source["url"])}" rel="nofollow" dir="auto">{_e(source["title"])}</a>'
        if source["url"]
        else f"<bdi>{_e(source['title'])}</bdi>"
    )
    parts = [", ".join(f"<bdi>{_e(name)}</bdi>" for name in source["authors"])]
    parts.append(f"<cite>{title}</cite>")
    if source["outlet"]:
        parts.append(f"<bdi>{_e(source['outlet'])}</bdi>")
    if source.get("published_date"):
        parts.append(_date(source["published_date"]))
    archived = (
        f' (<a href="{_e(source["archived_url"])}" rel="nofollow">archived copy</a>)'
        if source["archived_url"]
        else ""
    )
    return mark_safe(f'<p class="citation">{", ".join(filter(None, parts))}{archived}</p>')  # noqa: S308 - every value escaped above


def _evidence_item(item: Data) -> str:
    cited = item["source"]["citation"] if item["source"] else ""
    return (
        f'<li><p class="stance">{_e(item["stance_label"])}</p>'
        f'<div dir="auto">{item["summary_html"]}</div>{cited}</li>'
    )


def _correction(entry: Data) -> str:
    label = "Corrected" if entry["is_correction"] else "Updated"
    return (
        f'<p class="claim-correction"><strong>{label} {_date(entry["date"])}:</strong> '
        f"{_e(entry['text'])}</p>"
    )


def _findings(claim: Data) -> str:
    """What the review found: the explanation, corrections and the counter-evidence."""
    if not claim["verdict"]:
        explanation = (
            '<p class="under-review-note">Still being checked: this claim has no verdict yet.</p>'
        )
    elif claim["verdict_summary"]:
        explanation = (
            f'<div class="verdict-summary" dir="auto">{claim["verdict_summary_html"]}</div>'
        )
    else:
        explanation = ""
    corrections = "".join(_correction(entry) for entry in claim["corrections"])
    if claim["evidence"]:
        items = "".join(_evidence_item(item) for item in claim["evidence"])
        evidence = f'<ul class="evidence-list">{items}</ul>'
    elif not claim["verdict"]:
        evidence = '<p class="no-evidence">No counter-evidence published yet.</p>'
    elif claim["reviewed_date"]:
        evidence = (
            '<p class="no-evidence">No counter-evidence: our review, completed '
            f"{_date(claim['reviewed_date'])}, found none.</p>"
        )
    else:
        evidence = '<p class="no-evidence">No counter-evidence: our review found none.</p>'
    return explanation + corrections + evidence


# Beside a quotation's source number: found in the source, word for word (or with marked edits).
CHECKED_MARK = (
    '<span class="quote-checked" title="Checked against the original">✓'
    '<span class="visually-hidden"> checked against the original</span></span>'
)


def quote_citation(quote: Data, source: Data | None) -> str:
    """Who said a quotation and where, after its closing mark: "(Amal Farouk, Harbor
    Ledger³)", linked to its entry in the bibliography when it has a source, with the
    check against that source; nothing after a scare quote or a quotation nobody is
    named for and no source cites. Each name is isolated (<bdi>) against bidi spill."""
    if quote["is_scare_quote"]:
        return ""
    names = [
        name
        for name in (quote["speaker"] or quote.get("speaker_description"), quote["outlet"])
        if name
    ]
    who = ", ".join(f"<bdi>{_e(name)}</bdi>" for name in names)
    if source is None:
        return (
            f'<span class="quote-ref">(<span class="visually-hidden">Quoted: </span>{who})</span>'
            if who
            else ""
        )
    check = quote.get("check") or {}
    label = f'<span class="visually-hidden">Quoted: </span>{who}' if who else "source"
    altered = (
        f' <small class="quote-note">(the source reads: “<span dir="auto">'
        f"{_e(check['original'])}</span>”)</small>"
        if check.get("status") == "altered"
        else ""
    )
    return (
        f'<span class="quote-ref">(<a href="#source-{int(source["number"])}">{label}'
        f"<sup>{int(source['number'])}</sup></a>"
        f"{CHECKED_MARK if check.get('status') == 'checked' else ''})</span>{altered}"
    )


def claim_marker(claim: Data) -> str:
    """The verdict link after a claim's words, to its evidence card (data-claim: its id)."""
    ident, verdict = int(claim["id"]), _e(claim["verdict"] or UNDER_REVIEW)
    return (
        f'<a class="claim-marker verdict-{verdict}" id="claim-{ident}" href="#evidence-{ident}" '
        f'data-claim="{ident}"><span class="visually-hidden">Fact-check: </span>'
        f"{_e(claim['verdict_label'])}</a>"
    )


def evidence_card(claim: Data, *, standalone: bool = False) -> SafeString:
    """The <aside> with a claim's verdict, explanation and counter-evidence.

    Beside the article's text it is titled by the claim (linking to its permalink); on the
    claim's own page (`standalone`), whose heading is the claim, by its verdict alone.
    """
    ident, verdict = int(claim["id"]), _e(claim["verdict_key"])
    title = (
        '<span class="visually-hidden">Verdict and counter-evidence</span>'
        if standalone
        else f'<a href="{_e(claim["permalink"])}" dir="auto">{_e(claim["short_statement"])}</a>'
    )
    return mark_safe(  # noqa: S308 - every value escaped, summaries sanitised on save
        f'<aside class="evidence verdict-{verdict}" id="evidence-{ident}" '
        f'data-evidence-for="{ident}" aria-labelledby="evidence-{ident}-title" tabindex="-1">'
        f'<h3 id="evidence-{ident}-title"><span class="verdict-badge verdict-{verdict}">'
        f"{_e(claim['verdict_label'])}</span> {title}</h3>{_findings(claim)}</aside>"
    )
