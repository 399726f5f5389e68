"""The evidence card and the citation escape every value they are given; only the
summaries' HTML (sanitised when saved) goes in as it is."""

from datetime import date

from django.utils.safestring import mark_safe

from publishing.fragments import citation, evidence_card, quote_citation

HOSTILE = '<b onmouseover="x">&\'"'
ESCAPED = "&lt;b onmouseover=&quot;x&quot;&gt;&amp;&#x27;&quot;"


def source(**fields):
    return {
        "title": HOSTILE, "url": f"https://example.org/?q={HOSTILE}", "authors": [HOSTILE],
        "outlet": HOSTILE, "published_date": date(2024, 5, 1),
        "archived_url": f"https://archive.example.org/{HOSTILE}", **fields,
    }  # fmt: skip


def claim(**fields):
    cited = source()
    return {
        "id": 7, "verdict": "false", "verdict_key": "false", "verdict_label": HOSTILE,
        "short_statement": HOSTILE, "permalink": f"/essays/x/claims/7/?{HOSTILE}",
        "verdict_summary": "Counted.", "verdict_summary_html": mark_safe("<p><em>Counted</em></p>"),
        "reviewed_date": date(2024, 6, 2),
        "corrections": [{"is_correction": True, "date": date(2024, 7, 3), "text": HOSTILE}],
        "evidence": [{"stance_label": HOSTILE, "summary_html": mark_safe("<p>Log</p>"),
                      "source": {**cited, "citation": citation(cited)}}],
        **fields,
    }  # fmt: skip


def test_a_citation_escapes_every_field_and_reads_in_order():
    html = citation(source())
    assert "<b " not in html and html.count(ESCAPED) == 5  # author, link, title, outlet, archive
    assert html.startswith('<p class="citation"><bdi>&lt;b')  # authors first
    assert '<time datetime="2024-05-01">1 May 2024</time>' in html
    assert 'rel="nofollow">archived copy</a>)</p>' in html


def test_a_citation_without_link_author_outlet_or_date_is_just_its_title():
    bare = citation(source(url="", authors=[], outlet=None, published_date=None, archived_url=""))
    assert bare == f'<p class="citation"><cite><bdi>{ESCAPED}</bdi></cite></p>'


def test_an_evidence_card_escapes_every_value_and_keeps_the_stored_html():
    html = evidence_card(claim())
    assert "<b " not in html and 'onmouseover="' not in html
    assert "<p><em>Counted</em></p>" in html and "<p>Log</p>" in html
    assert html.startswith('<aside class="evidence verdict-false" id="evidence-7"')
    assert "Corrected <time" in html and f"</strong> {ESCAPED}</p>" in html


def test_the_cards_say_what_the_review_found_when_there_is_no_evidence():
    reviewed = evidence_card(claim(evidence=[]))
    assert (
        'our review, completed <time datetime="2024-06-02">2 June 2024</time>, found none'
        in reviewed
    )
    pending = evidence_card(claim(verdict=None, verdict_key="under_review", evidence=[]))
    assert "Still being checked" in pending and "No counter-evidence published yet." in pending
    standalone = evidence_card(claim(), standalone=True)
    assert "Verdict and counter-evidence" in standalone and "/claims/7/" not in standalone


def quote(**fields):
    return {
        "speaker": "Amal Farouk", "speaker_description": "", "outlet": "Harbor Ledger",
        "is_scare_quote": False, "check": None, **fields,
    }  # fmt: skip


def test_a_quotation_says_who_said_it_and_where_linked_to_its_source():
    cited = quote_citation(quote(check={"status": "checked", "original": ""}), {"number": 3})
    assert cited.startswith(
        '<span class="quote-ref">(<a href="#source-3"><span class="visually-hidden">Quoted: '
        "</span><bdi>Amal Farouk</bdi>, <bdi>Harbor Ledger</bdi><sup>3</sup></a>"
    )
    assert "checked against the original" in cited and cited.endswith(")</span>")
    described = quote_citation(quote(speaker=None, speaker_description="a port official"), None)
    assert described == (
        '<span class="quote-ref">(<span class="visually-hidden">Quoted: </span>'
        "<bdi>a port official</bdi>, <bdi>Harbor Ledger</bdi>)</span>"
    )
    nameless = quote_citation(quote(speaker=None, outlet=None), {"number": 2})
    assert '<a href="#source-2">source<sup>2</sup></a>' in nameless


def test_scare_quotes_and_unattributed_uncited_quotations_carry_nothing_and_names_are_escaped():
    assert quote_citation(quote(is_scare_quote=True), {"number": 1}) == ""
    assert quote_citation(quote(speaker=None, outlet=None), None) == ""
    hostile = quote_citation(quote(speaker=HOSTILE), {"number": 1})
    assert "<b " not in hostile and ESCAPED in hostile
