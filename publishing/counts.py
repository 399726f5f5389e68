"""How many claims an essay has, said honestly: checked ones apart from those under review."""

from django.utils.translation import ngettext

from publishing.structured_data import UNDER_REVIEW


def claims_phrase(counts: dict[str, int]) -> str:
    """ "7 claims: 3 checked, 4 under review" from a revision's verdict counts."""
    total = sum(counts.values())
    waiting = counts.get(UNDER_REVIEW, 0)
    checked = total - waiting
    if not total:
        return "No claims marked yet"
    claims = ngettext("%d claim", "%d claims", total) % total
    if not waiting:
        return f"{claims}, {'checked' if total == 1 else 'all checked'}"
    if not checked:
        return f"{claims}, {'under review' if total == 1 else 'all under review'}"
    return f"{claims}: {checked} checked, {waiting} under review"
