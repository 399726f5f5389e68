"""The spreadsheet import preview: each cell's old → new diff, every run closed for bidi."""

from diff_match_patch import diff_match_patch
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from import_export import resources

from common.bidi import contain_bidi

_DIFF_RUNS = {
    # Styled by class (static/admin-extra/import-preview.css): the CSP forbids inline styles.
    diff_match_patch.DIFF_INSERT: '<ins class="diff-added">{}</ins>',
    diff_match_patch.DIFF_DELETE: '<del class="diff-removed">{}</del>',
    diff_match_patch.DIFF_EQUAL: "<span>{}</span>",
}


class BidiContainedDiff(resources.Diff):
    """The preview's old → new diff of each cell, every run of it closed for bidi.

    A cell's diff is a row of runs (kept, removed, added). An RTL override left open in
    one run would reorder the runs after it on screen, so the preview would show another
    text than the file holds: each line of each run closes what it opens
    (`contain_bidi`, as the public pages do). Otherwise the stock diff, escaped the same.
    """

    def as_html(self) -> list[SafeString]:
        differ = diff_match_patch()
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            if old != new and self.new:
                old = ""
            runs = differ.diff_main(force_str(old), force_str(new))
            differ.diff_cleanupSemantic(runs)
            cells.append(mark_safe("".join(_diff_run(op, text) for op, text in runs if text)))
        return cells


def _diff_run(op: int, text: str) -> str:
    lines = "&para;<br>".join(escape(contain_bidi(line)) for line in text.split("\n"))
    return format_html(_DIFF_RUNS[op], mark_safe(lines))
