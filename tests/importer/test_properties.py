"""Property: the parser never crashes and every span slices back to its text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from essays.importer import EssayImportError, parse

# Arbitrary characters (control characters, RTL marks, NBSP included) mixed with
# the pieces of text the parser reacts to.
PIECES = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=20),
    st.text(st.sampled_from(list("“”‘’\"'[]. \n\u00a0\u200f\u200e\t:,—\x0b\x1c")), max_size=10),
    st.sampled_from(
        [
            "By ",
            " said",
            "Read also:\n",
            "Published at http://x.y\n",
            "# ",
            "\n\nIdlib\n\n",
            "<p>",
            "<q>",
            "</q>",
            "> ",
            "[emphasis mine]",
            ". . .",
        ]
    ),
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(["text", "markdown", "html"]))
def test_parser_never_crashes_and_offsets_slice_back(text, fmt):
    try:
        essay = parse(text, format=fmt)
    except EssayImportError as error:
        assert error.message  # only the documented refusals: empty, NUL, no HTML text
        return
    essay.to_json_dict()
    for section in essay.sections:
        for item in (*section.quotations, *section.claims):
            assert section.paragraphs[item.paragraph][item.start : item.end] == item.text
