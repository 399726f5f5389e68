"""The HTML reader on a whole saved page written for the test, and its limits."""

# ruff: noqa: E501 - the page below is markup, kept as a browser would save it

import pytest

from essays.importer import EssayImportError, parse
from essays.importer.readers.html import MAX_DEPTH

PAGE = """<!doctype html>
<html lang="en"><head>
<title>Night Trains Return to the Valley | The Rail Gazette</title>
<meta name="author" content="Pia Sandoval">
<link rel="canonical" href="https://railgazette.example/2024/night-trains">
<meta property="article:published_time" content="2024-05-06T09:00:00Z">
<meta property="article:tag" content="railways"><meta property="article:tag" content="Europe">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Night Trains Return"}</script>
</head><body>
<header class="site-header"><a class="logo" href="/">The Rail Gazette</a>
<nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article>
<h1>Night Trains Return to the Valley</h1>
<p class="byline">By Pia Sandoval</p>
<div class="share-tools"><a href="https://x.example/share">Share on X</a></div>
<div class="story">
<p>The first sleeper in nine years left Brennfeld at 22:10 on Friday. “We sold every berth
in an hour,” said <a href="https://operator.example/press">Jonas Weil</a>, who runs the line.</p>
<p>The ministry called the service <em>a pilot</em> and promised a decision “by the autumn”.<sup><a href="#fn1" id="r1">1</a></sup></p>
<aside class="newsletter-signup"><p>Get the Rail Gazette briefing every morning in your inbox.</p></aside>
<h2>What It Costs</h2>
<p>Tickets start at 49 euros, which the operator says covers the crew and nothing else at all.</p>
<blockquote><p>We are not making money. We are making a habit.</p>
<footer>— Jonas Weil, to <cite>The Rail Gazette</cite></footer></blockquote>
<p>Whether the habit lasts depends on the ministry, which has not said what a pilot is.</p>
</div>
<ol class="footnotes"><li id="fn1"><p>Ministry of Transport, “Night Rail Pilot”, <a href="https://ministry.example/pilot">ministry.example</a> <a href="#r1">↩</a></p></li></ol>
</article></main>
<section id="comments"><h2>Comments (2)</h2><p>“I rode it on Friday and it was lovely, truly lovely,” wrote one reader.</p></section>
<section class="related-stories"><h2>More from The Rail Gazette</h2><p>Ten reasons to take the slow train to the coast this summer.</p></section>
<footer class="site-footer"><p>Privacy policy</p></footer>
</body></html>
"""


def test_a_saved_page_is_read_from_its_article_with_its_metadata():
    essay = parse(PAGE, format="html")
    assert essay.title == "Night Trains Return to the Valley"
    assert essay.author == "Pia Sandoval" and essay.published_on == "2024-05-06"
    assert essay.canonical_url == "https://railgazette.example/2024/night-trains"
    assert set(essay.tags) == {"railways", "Europe"}
    assert [s.heading for s in essay.sections] == [None, "What It Costs"]
    text = " ".join(p for s in essay.sections for p in s.paragraphs)
    for furniture in ("Share on X", "briefing", "lovely", "slow train", "Privacy", "Home"):
        assert furniture not in text, furniture
    assert [q.text for q in essay.quotations][:2] == [
        "We sold every berth in an hour,",
        "by the autumn",
    ]


def test_links_emphasis_footnotes_and_the_block_quote():
    essay = parse(PAGE, format="html")
    intro = essay.sections[0]
    first, second = intro.paragraphs
    (link,) = intro.references[0]
    assert first[link.start : link.end] == "Jonas Weil"
    assert [second[a:b] for a, b in intro.emphasis[1]] == ["a pilot"]
    (marker,) = intro.references[1]
    assert marker.note == "1" and marker.url == "https://ministry.example/pilot"
    assert second.endswith("“by the autumn”.") and "1" not in second[-3:]
    (note,) = essay.notes
    assert note.title == "Night Rail Pilot" and "↩" not in note.text
    costs = essay.sections[1]
    assert costs.blockquotes == (False, True, False)
    quote = [q for q in essay.quotations if q.text.startswith("We are not making")][0]
    assert quote.text == "We are not making money. We are making a habit."


def test_a_fragment_is_read_whole():
    essay = parse("<h1>Short</h1><p>One paragraph of a fragment, “quoted” here.</p>", format="html")
    assert essay.title == "Short" and essay.sections[0].paragraphs == (
        "One paragraph of a fragment, “quoted” here.",
    )


def test_nesting_deeper_than_the_bound_is_refused_with_a_clear_error():
    deep = "<div>" * (MAX_DEPTH + 5) + "text" + "</div>" * (MAX_DEPTH + 5)
    with pytest.raises(EssayImportError, match="nested more than"):
        parse(f"<h1>T</h1>{deep}", format="html", filename="deep.html")
