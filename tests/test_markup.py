"""Markdown with marked claims and quotations: well formed, escaped, nothing lost."""

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from common import markup
from common.markup import Decorations, Mark, anchor_span, render_markdown, render_marked

DECORATIONS = Decorations(
    open=lambda kind, i: f'<span class="{kind}" data-id="{i}">',
    close=lambda kind, i: "</span>",
    after=lambda kind, i: f'<a data-claim="{i}"></a>' if kind == "claim" else f"<sup>{i}</sup>",
)


class _Balance(HTMLParser):
    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__()
        self.stack, self.ok = [], True

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


class _Coverage(HTMLParser):
    """Each visible character with the ids of the wrappers around it."""

    def __init__(self):
        super().__init__()
        self.open, self.chars = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "span":
            self.open.append(dict(attrs)["data-id"])
        elif tag not in _Balance.VOID:
            self.open.append(None)

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        ids = frozenset(int(i) for i in self.open if i is not None)
        self.chars += [(char, ids) for char in data if not char.isspace()]


def coverage(html: str) -> list:
    parser = _Coverage()
    parser.feed(html)
    parser.close()
    return parser.chars


def expected_coverage(body: str, marks: list[Mark]) -> list:
    """The same, worked out from the sentinels in the rendered Markdown: the characters
    between a span's start and end are its text, whatever elements lie between."""
    rendered = markup.sanitize(markup._md.render(markup._with_sentinels(body, marks)))
    chars, active = [], set()

    class Text(HTMLParser):
        def handle_data(self, data):
            pieces = markup._SENTINEL.split(data)
            for i, piece in enumerate(pieces):
                if i % 4 == 0:
                    chars.extend((c, frozenset(active)) for c in piece if not c.isspace())
                elif i % 4 == 2:
                    (active.add if piece == "s" else active.discard)(int(pieces[i + 1]))

    Text(convert_charrefs=True).feed(rendered)
    return chars


def well_formed(html: str) -> bool:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    return parser.ok and not parser.stack


def span(body: str, text: str, kind="claim", ident=1) -> Mark:
    start = body.index(text)
    return Mark(kind, ident, start, start + len(text))


def test_raw_html_and_scripts_in_markdown_are_shown_as_text_never_run():
    html = render_markdown(
        "Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>"
    )
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html


def test_claim_marker_lands_where_the_claim_ends_and_wraps_its_text():
    body = "First paragraph.\n\nThe council said 40,000 people left. Then rain."
    blocks = render_marked(body, [span(body, "40,000 people left", ident=7)], DECORATIONS)
    assert [b.claim_ids for b in blocks] == [[], [7]]
    assert '<span class="claim" data-id="7">40,000 people left</span><a data-claim="7"></a>' in (
        blocks[1].html
    )


def test_a_span_crossing_emphasis_and_paragraphs_stays_well_formed():
    body = "It was *very\n\nquiet* that night, said “the **guns** are silent” twice."
    marks = [
        Mark("claim", 1, body.index("very"), body.index("that night") + len("that night")),
        span(body, "the **guns** are silent", kind="quote", ident=2),
    ]
    blocks = render_marked(body, marks, DECORATIONS)
    html = "".join(b.html for b in blocks)
    assert well_formed(html)
    assert html.count('data-claim="1"') == 1
    assert "<strong>" in html and "<sup>2</sup>" in html
    assert blocks[-1].claim_ids == [1]


def test_text_inside_marks_is_escaped():
    body = "They wrote <b>bold</b> & left."
    blocks = render_marked(body, [span(body, "<b>bold</b> & left")], DECORATIONS)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; left" in blocks[0].html
    assert "<b>" not in blocks[0].html


def test_a_claim_whose_span_falls_inside_a_link_address_still_gets_its_marker():
    body = "See [the report](https://example.org/report-2024) for more."
    blocks = render_marked(body, [span(body, "report-2024", ident=3)], DECORATIONS)
    assert sum(b.claim_ids.count(3) for b in blocks) == 1
    assert 'data-claim="3"' in "".join(b.html for b in blocks)
    assert "\ue000" not in "".join(b.html for b in blocks)


def test_a_claim_at_the_start_of_a_quote_line_keeps_the_block_quote():
    body = "Intro.\n\n> The road is open, he said."
    blocks = render_marked(body, [Mark("claim", 4, body.index(">"), len(body))], DECORATIONS)
    assert blocks[1].html.startswith("<blockquote>")
    assert blocks[1].claim_ids == [4]


def test_anchor_span_follows_words_that_moved_and_gives_up_when_they_are_gone():
    body = "An added sentence. The road is open. Later: the road is open."
    assert anchor_span(body, exact="The road is open", start=19, end=35) == 19
    assert anchor_span(body, exact="the road is open", start=0, end=16) == body.index("the road")
    assert anchor_span(body, exact="the bridge fell", start=0, end=15) is None


@settings(max_examples=150, deadline=None)
@given(
    body=st.text(alphabet="ab *_>#-\n“”[]()<&1.", min_size=1, max_size=60),
    cuts=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=4),
)
def test_any_markdown_with_any_spans_renders_well_formed_with_every_claim_marker(body, cuts):
    marks = []
    for n, (start, length) in enumerate(cuts):
        start = min(start, len(body) - 1)
        end = min(len(body), start + length)
        if end > start:
            marks.append(Mark("claim" if n % 2 == 0 else "quote", n, start, end))
    blocks = render_marked(body, marks, DECORATIONS)
    html = "".join(b.html for b in blocks)
    assert well_formed(html)
    assert "\ue000" not in html and "\ue001" not in html
    claims = [m.id for m in marks if m.kind == "claim"]
    assert sorted(i for b in blocks for i in b.claim_ids) == sorted(claims)
    for ident in claims:
        assert html.count(f'data-claim="{ident}"') == 1
    # Every character is inside exactly the wrappers of the spans it belongs to (markers'
    # digits aside).
    visible = coverage(html)
    assert [(c, ids) for c, ids in visible if c not in "0123456789"] == [
        (c, ids) for c, ids in expected_coverage(body, marks) if c not in "0123456789"
    ]


def test_a_quotation_around_emphasis_and_a_link_is_one_wrapper():
    body = "He said “the **road** is [open](https://example.org/) now” and left."
    [block] = render_marked(
        body,
        [span(body, "the **road** is [open](https://example.org/) now", "quote", 5)],
        DECORATIONS,
    )
    assert block.html.count('<span class="quote"') == 1
    assert '<span class="quote" data-id="5">the <strong>road</strong> is <a ' in block.html


def test_a_span_ending_inside_emphasis_is_split_where_it_must_be():
    body = "one **two three** four"
    [block] = render_marked(body, [span(body, "one **two")], DECORATIONS)
    assert well_formed(block.html)
    assert block.html == (
        '<p><span class="claim" data-id="1">one </span><strong>'
        '<span class="claim" data-id="1">two</span><a data-claim="1"></a> three</strong> four</p>'
    )


def test_private_use_characters_in_the_text_cannot_forge_a_mark():
    # The renderer's own boundaries are U+E000 … U+E001; text carrying them must not be
    # read as a claim (no crash for an unknown id, no stolen highlight for a real one).
    forged = "Say \ue000cs7\ue001forged\ue000ce7\ue001 and \ue000qs99\ue001 here."
    body = f"{forged} The dam was finished in 1961."
    start = body.index("The dam")
    blocks = render_marked(body, [Mark("claim", 7, start, len(body) - 1)], DECORATIONS)
    html = "".join(block.html for block in blocks)
    assert html.count('data-id="7"') == 1 and html.count('data-claim="7"') == 1
    assert '<span class="claim" data-id="7">The dam was finished in 1961</span>' in html
    assert "\ue000" not in html and "\ue001" not in html
    assert "forged" in html and 'data-id="99"' not in html
    # Without any mark at all (verdict summaries, evidence), the same text renders plainly.
    assert "\ue000" not in render_markdown(forged) and "forged" in render_markdown(forged)
