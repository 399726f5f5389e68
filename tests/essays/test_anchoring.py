"""Re-anchoring spans in edited text (pure)."""

from essays.anchoring import Selector, anchor, selector_for

BODY = "The road was closed. Later the road was closed again. The end."


def test_selector_for_takes_context_on_both_sides():
    start = BODY.index("Later")
    selector = selector_for(BODY, start, start + 5, context=6)
    assert selector == Selector("Later", "osed. ", " the r")


def test_finds_the_words_after_text_is_inserted_before_them():
    selector = selector_for(BODY, BODY.index("Later"), BODY.index("Later") + 5)
    edited = "A new opening sentence. " + BODY
    placed = anchor([edited], selector)
    assert placed.found and edited[placed.start : placed.end] == "Later"


def test_prefix_and_suffix_pick_the_right_occurrence():
    second = BODY.rindex("the road was closed")
    selector = selector_for(BODY, second, second + len("the road was closed"))
    placed = anchor(["Intro. " + BODY], selector)
    assert placed.start == second + len("Intro. ")


def test_moves_to_another_section_and_prefers_the_old_one_on_a_tie():
    selector = Selector("road was closed", "", "")
    assert anchor(["nothing here", "the road was closed"], selector).section == 1
    assert anchor(["road was closed", "road was closed"], selector, hint=1).section == 1


def test_vanished_words_give_the_closest_match_flagged_not_found():
    selector = Selector("the bridge was closed on Monday", "", "")
    placed = anchor(["Nothing.", "Then the bridge was shut on Monday."], selector)
    assert not placed.found and placed.section == 1
    assert 0 <= placed.start < placed.end <= len("Then the bridge was shut on Monday.")


def test_nothing_to_anchor_in_returns_none():
    assert anchor(["", ""], Selector("x", "", "")) is None
    assert anchor(["text"], Selector("", "", "")) is None
