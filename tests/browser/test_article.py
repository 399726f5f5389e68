"""The article in a real browser: evidence beside claims, keyboard, no JavaScript, axe-core."""

import itertools
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from publishing.services import essay_publish
from tests.factories import make_user
from tests.publishing.builders import DRAFT_SECRET, NOTE_SECRET, PROPOSED_SECRET, reviewed_essay

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDE, NARROW = {"width": 1400, "height": 1000}, {"width": 390, "height": 844}


@pytest.fixture
def article(site):
    cache.clear()
    essay = reviewed_essay()
    essay_publish(essay=essay, actor=make_user(superuser=True), override_reason="Browser test")
    essay.url = site + reverse("public:article", kwargs={"slug": essay.slug})
    essay.claim_ids = sorted(claim.pk for claim in essay.claims.values())
    return essay


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_page(url: str, *, viewport: dict, javascript: bool = True, bypass_csp=False):
        context = browser.new_context(
            viewport=viewport, java_script_enabled=javascript, bypass_csp=bypass_csp
        )
        contexts.append(context)
        page = context.new_page()
        response = page.goto(url)
        assert response.status == 200
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_through_the_proxy_readers_share_one_cached_copy(article, site, live_server, browser):
    context = browser.new_context()
    answers = [context.request.get(article.url) for _ in range(2)]
    assert [answer.status for answer in answers] == [200, 200]
    if site == live_server.url:
        assert "x-cache" not in answers[1].headers  # straight from the app
    else:
        assert answers[1].headers["x-cache"] == "HIT"  # kept by Varnish for every reader
    context.close()


def boxes(page, claim_id: int) -> tuple[dict, dict]:
    """The bounding boxes of the paragraph holding a claim's marker and of its evidence."""
    paragraph = page.locator(f'[data-claim="{claim_id}"]').locator("xpath=ancestor::p[1]")
    evidence = page.locator(f'[data-evidence-for="{claim_id}"]')
    assert evidence.is_visible()
    return paragraph.bounding_box(), evidence.bounding_box()


def test_evidence_sits_beside_its_claim_on_a_wide_screen(article, open_page, tmp_path):
    page = open_page(article.url, viewport=WIDE)
    page.wait_for_selector(".margin-flow")
    above = None  # the bottom of the card before, which a card may have to wait for
    for claim_id in article.claim_ids:
        text, evidence = boxes(page, claim_id)
        assert evidence["x"] >= text["x"] + text["width"], "evidence is in the right margin"
        level = abs(evidence["y"] - text["y"]) < 40
        stacked = above is not None and 0 <= evidence["y"] - above < 40
        assert level or stacked, "it starts level with its paragraph, or under the card before"
        above = evidence["y"] + evidence["height"]
    page.screenshot(path=tmp_path / "wide.png", full_page=True)
    assert (tmp_path / "wide.png").stat().st_size > 10_000


def test_evidence_follows_its_paragraph_on_a_phone(article, open_page, tmp_path):
    page = open_page(article.url, viewport=NARROW)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"
    for claim_id in article.claim_ids:
        text, evidence = boxes(page, claim_id)
        assert evidence["y"] >= text["y"] + text["height"], "evidence is below the paragraph"
        assert abs(evidence["x"] - text["x"]) < 5
    page.screenshot(path=tmp_path / "narrow.png", full_page=True)
    assert (tmp_path / "narrow.png").stat().st_size > 10_000


def test_keyboard_reaches_every_claim_and_its_evidence(article, open_page):
    page = open_page(article.url, viewport=WIDE)
    markers, evidence = set(), set()
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement;
                const box = el.closest('[data-evidence-for]');
                return [el.dataset.claim || null, box ? box.dataset.evidenceFor : null]; }"""
        )
        if focused[0]:
            markers.add(int(focused[0]))
        if focused[1]:
            evidence.add(int(focused[1]))
    assert markers == set(article.claim_ids)
    assert evidence == set(article.claim_ids)

    # Following a marker from the keyboard lands on that claim's evidence.
    first = article.claim_ids[0]
    page.focus(f'[data-claim="{first}"]')
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#evidence-{first}'")
    assert page.locator(f'[data-evidence-for="{first}"]').is_visible()


def test_the_page_works_without_javascript(article, open_page):
    page = open_page(article.url, viewport=NARROW, javascript=False)
    assert page.evaluate("typeof document") == "object"  # evaluate still works off-page
    for claim_id in article.claim_ids:
        assert page.locator(f'[data-claim="{claim_id}"]').is_visible()
        assert page.locator(f'[data-evidence-for="{claim_id}"]').is_visible()
    assert page.get_by_text("The monitor counted 26,000 departures.").first.is_visible()


def test_no_draft_or_note_reaches_the_reader(article, open_page):
    page = open_page(article.url, viewport=WIDE)
    text = page.content() + page.inner_text("body")
    for secret in (NOTE_SECRET, DRAFT_SECRET, PROPOSED_SECRET):
        assert secret not in text


@pytest.mark.parametrize("viewport", [WIDE, NARROW], ids=["1400px", "390px"])
def test_axe_finds_no_serious_accessibility_violations(article, open_page, viewport):
    assert AXE.exists(), "run `npm ci` (scripts/test.sh does) to install axe-core"
    # The site's CSP forbids injected scripts (rightly); the scanner is let in on purpose.
    page = open_page(article.url, viewport=viewport, bypass_csp=True)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def axe_serious(page) -> list:
    assert AXE.exists(), "run `npm ci` (scripts/test.sh does) to install axe-core"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_verdicts_differ_by_colour_icon_and_label_and_pass_contrast(site, open_page):
    page = open_page(site + reverse("public:ratings"), viewport=WIDE, bypass_csp=True)
    badges = page.evaluate(
        """() => [...document.querySelectorAll('.ratings-table .verdict-badge')].map(b => ({
            label: b.textContent.trim(),
            background: getComputedStyle(b).backgroundColor,
            border: getComputedStyle(b).borderTopStyle,
            icon: getComputedStyle(b, '::before').content,
        }))"""
    )
    assert len(badges) == 7  # the scale and the two verdicts off it
    labels = [b["label"] for b in badges]
    assert "Supported" in labels and "Partly supported" in labels
    for badge in badges:
        assert badge["icon"] not in ("", "none", "normal"), badge  # never colour alone
    assert len({b["icon"] for b in badges}) == len(badges), "one icon per verdict"
    looks = {(b["background"], b["border"]) for b in badges}
    assert len(looks) == len(badges), "no two verdicts look alike"
    assert axe_serious(page) == []


def test_the_claim_page_shows_a_long_claim_whole_once(article, site, open_page):
    from essays.models import Claim

    claim = article.claims["false"]
    whole = claim.statement
    Claim.objects.filter(pk=claim.pk).update(short_statement=whole[:20] + "…")
    essay_publish(essay=article, actor=make_user(superuser=True), override_reason="Again")
    url = site + reverse("public:claim", kwargs={"slug": article.slug, "claim_id": claim.pk})
    page = open_page(url, viewport=NARROW, bypass_csp=True)
    heading = page.locator("h1").inner_text()
    assert heading == whole and "…" not in heading
    main = page.locator("main").inner_text()
    assert "Restated" not in main  # the restatement is the essay's own sentence here
    assert main.count(whole) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_serious(page) == []


@pytest.fixture
def tall_cards(site):
    """Short paragraphs whose claims carry long counter-evidence: cards taller than text."""
    from tests.factories import make_claim, make_counter_evidence, make_essay, make_section
    from tests.publishing.builders import approve

    cache.clear()
    paragraphs = [
        "The council said 40 wells were dug.",
        "Villagers walked to the river each morning that summer.",
        "The school kept its doors open through August.",
        "The ministry said the new pipe reached every house.",
        "By winter the market sold water by the can.",
    ]
    essay = make_essay(title="Wells and Pipes")
    section = make_section(essay, heading="Water", body="\n\n".join(paragraphs))
    publisher = make_user(superuser=True)
    for exact in ("40 wells were dug", "the new pipe reached every house"):
        claim = approve(make_claim(section, exact=exact), "false", "The records disagree.")
        for n in range(3):
            evidence = make_counter_evidence(
                claim, summary=f"Record {n}: " + "the survey lists far fewer. " * 12
            )
            evidence.approved = True
            evidence.save()
    essay_publish(essay=essay, actor=publisher, override_reason="Browser test")
    return site + reverse("public:article", kwargs={"slug": essay.slug})


def test_tall_cards_never_leave_holes_in_the_text(tall_cards, open_page):
    page = open_page(tall_cards, viewport=WIDE)
    page.wait_for_selector(".margin-flow")
    blocks = page.evaluate(
        """() => [...document.querySelectorAll('.essay-section p')]
              .filter(p => !p.closest('.evidence'))
              .map(p => p.getBoundingClientRect()).map(r => [r.top, r.bottom, r.right])"""
    )
    assert len(blocks) == 5
    gaps = [b[0] - a[1] for a, b in itertools.pairwise(blocks)]
    assert max(gaps) < 40, f"the text waits for the margin: gaps {gaps}"
    cards = page.evaluate(
        """() => [...document.querySelectorAll('[data-evidence-for]')]
              .map(c => c.getBoundingClientRect()).map(r => [r.top, r.bottom, r.left])"""
    )
    assert len(cards) == 2
    (first_top, first_bottom, first_left), (second_top, _, second_left) = cards
    assert abs(first_top - blocks[0][0]) < 5, "the first card starts level with its paragraph"
    assert second_top >= first_bottom, "cards stack when they meet, never overlap"
    assert min(first_left, second_left) >= max(b[2] for b in blocks), "cards stay in the margin"
    sources_top = page.locator("#article-sources").bounding_box()["y"]
    assert sources_top >= cards[-1][1], "what follows the article starts below the last card"
    # a phone keeps each card under its paragraph
    phone = open_page(tall_cards, viewport=NARROW)
    text, evidence = boxes(
        phone, int(phone.locator("[data-claim]").first.get_attribute("data-claim"))
    )
    assert evidence["y"] >= text["y"] + text["height"]
