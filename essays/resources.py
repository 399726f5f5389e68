"""Spreadsheet import and export of quotations and claims.

A section is named by its essay's slug (column `essay`) and its position (column
`section`, counting from 0 as the admin does). A quotation is found by essay + section
+ start + end; a claim by essay + section + its exact text. Offsets left blank are
found by looking the text up in the section. Imports never move a claim through the
fact-check workflow: see `claim_import_status_errors`.
"""

from django.core.exceptions import ValidationError
from django.db.models import F

from essays.choices import ClaimStatus, Verdict
from essays.models import CLAIM_READER_FIELDS, Claim, Essay, Quotation, Section
from sources.resources import OutletWidget, PersonWidget, SourceWidget, TrimmedTextWidget
from spreadsheets.resources import SpreadsheetResource, field
from spreadsheets.widgets import (
    ChoiceWidget,
    DecimalNumberWidget,
    IsoDateWidget,
    ReferenceWidget,
    StrictBooleanWidget,
    TextWidget,
    WholeNumberWidget,
    name_key,
    normalise_name,
)

# How much text around a claim is kept to re-anchor it after edits (the model allows 64).
ANCHOR_CONTEXT = 32


def claim_import_status_errors(
    *, current: tuple[str, str] | None, status: str, verdict: str
) -> dict[str, list[str]]:
    """The one rule for status and verdict cells in an imported claim row.

    An import may create a claim only as unreviewed, without a verdict, and may never
    change an existing claim's status or verdict: assigning, proposing, approving and
    reopening happen in the review workflow, which records who did it and why. A blank
    cell states nothing and is always accepted. `current` is the claim's (status,
    verdict) in the database, None for a new claim; `status` and `verdict` are the
    cells' values already mapped to choice values. Returns errors by column.
    """
    errors: dict[str, list[str]] = {}
    workflow = "Statuses and verdicts change only in the review workflow, not by import."
    if current is None:
        if status and status != ClaimStatus.UNREVIEWED:
            errors["status"] = [
                f"A new claim can only be imported as “{ClaimStatus.UNREVIEWED}”, "
                f"not “{status}”. {workflow}"
            ]
        if verdict:
            errors["verdict"] = [f"A new claim cannot be imported with a verdict. {workflow}"]
        return errors
    current_status, current_verdict = current
    if status and status != current_status:
        errors["status"] = [
            f"The claim is “{current_status}” in Counterpoint; an import cannot make it "
            f"“{status}”. {workflow}"
        ]
    if verdict and verdict != current_verdict:
        now = f"“{current_verdict}”" if current_verdict else "no verdict"
        errors["verdict"] = [
            f"The claim has {now} in Counterpoint; an import cannot make it “{verdict}”. {workflow}"
        ]
    return errors


def claim_import_anchor_errors(*, current: bool | None, anchor_lost: bool | None) -> list[str]:
    """Why an `anchor_lost` cell is refused: only re-importing the essay sets or clears it.

    The flag says the essay's new text no longer holds the claim's words, so the claim
    needs an editor's eye; a spreadsheet cell typed over it would hide or invent that.
    `current` is the flag in the database (None for a new claim); `anchor_lost` is the
    cell (None when blank, which states nothing and is accepted).
    """
    if anchor_lost is None:
        return []
    if current is None and anchor_lost:
        return [
            "A new claim cannot be imported with its anchor lost: its words must stand in "
            "the section. Only re-importing the essay sets anchor_lost."
        ]
    if current is True and not anchor_lost:
        return [
            "This claim's words were not found when its essay was re-imported; an import "
            "cannot clear anchor_lost. Fix the anchor on the claim's page in Counterpoint, "
            "which clears it."
        ]
    if current is False and anchor_lost:
        return [
            "This claim's anchor is not lost in Counterpoint; an import cannot set "
            "anchor_lost. Only re-importing the essay sets it."
        ]
    return []


class SectionWidget(ReferenceWidget):
    """A section: the row's `essay` slug plus this cell's position (0 = the first section)."""

    def clean(self, value, row=None, **kwargs) -> Section:
        position = WholeNumberWidget().clean(value)
        if position is None:
            raise ValueError("Give the section's position in the essay (0 for the first).")
        slug = normalise_name((row or {}).get("essay") or "")
        if not slug:
            raise ValueError("Give the essay's slug in the “essay” column.")
        essay = self.cached(f"essay:{slug}", lambda: Essay.objects.filter(slug=slug).first())
        if essay is None:
            raise ValueError(f"Unknown essay “{slug}”; the essay column takes an essay's slug.")
        section = self.cached(
            f"section:{essay.pk}:{position}",
            lambda: Section.objects.filter(essay=essay, position=position).first(),
        )
        if section is None:
            raise ValueError(
                f"The essay “{slug}” has no section {position} (sections count from 0)."
            )
        return section

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.position if kwargs.get("force_native_type") else str(value.position)


def locate(body: str, text: str) -> tuple[int, int] | None:
    """The offsets [start, end) of the first occurrence of `text` in `body`, or None."""
    start = body.find(text) if text else -1
    return (start, start + len(text)) if start >= 0 else None


def _fill_offsets(
    instance, text: str, text_column: str, *, stored: tuple[int, int] | None = None
) -> dict[str, list[str]]:
    """Fill blank start/end from the text's place in the section; check given ones.

    Offsets are checked on new rows, and on an existing row whose offsets were `stored`
    and are now changed: an import may move a row to its text, never off it.
    """
    section = instance.section if instance.section_id else None
    if section is None:
        return {}
    if instance.start is None or instance.end is None:
        found = locate(section.body, text)
        if found is None:
            return {
                text_column: [
                    f"This text is not in section {section.position} of “{section.essay.slug}”; "
                    "correct it, or give start and end."
                ]
            }
        instance.start, instance.end = found
    elif (
        instance._state.adding or (stored is not None and (instance.start, instance.end) != stored)
    ) and section.body[instance.start : instance.end] != text:
        at = section.body[instance.start : instance.end]
        return {
            "start": [
                f"Characters {instance.start}–{instance.end} of the section are “{at}”, "
                f"not this row's “{text_column}”; correct the offsets or leave them blank."
            ]
        }
    return {}


class QuotationResource(SpreadsheetResource):
    """Quotations, found by essay + section + start + end."""

    essay = field("essay", TextWidget(), attribute="section__essay__slug", readonly=True)
    section = field("section", SectionWidget())
    start = field("start", WholeNumberWidget())
    end = field("end", WholeNumberWidget())
    text = field("text", TextWidget())
    speaker = field("speaker", PersonWidget())
    # Trimmed like the admin form's field; Arabic, curly quotes and inner NBSPs are kept.
    speaker_description = field("speaker_description", TrimmedTextWidget())
    source = field("source", SourceWidget())
    outlet = field("outlet", OutletWidget())
    via = field("via", OutletWidget())
    emphasis_added = field("emphasis_added", StrictBooleanWidget(), default=False)
    is_scare_quote = field("is_scare_quote", StrictBooleanWidget(), default=False)

    key_columns = ("essay", "section", "start", "end")
    required_columns = ("essay", "section", "text")
    depends_on_field = {"section": ("start", "end"), "text": ("start", "end")}

    class Meta:
        model = Quotation
        name = "Quotations"
        fields = (
            "essay",
            "section",
            "start",
            "end",
            "text",
            "speaker",
            "speaker_description",
            "source",
            "outlet",
            "via",
            "emphasis_added",
            "is_scare_quote",
        )
        export_order = fields

    def get_queryset(self):
        return Quotation.objects.select_related(
            "section__essay", "speaker", "source", "outlet", "via"
        ).order_by("section__essay__slug", "section__position", "start", "pk")

    def row_key(self, row: dict) -> tuple | None:
        where = (name_key(row.get("essay") or ""), str(row.get("section") or "").strip())
        if str(row.get("start") or "").strip():
            return (*where, str(row.get("start")).strip(), str(row.get("end") or "").strip())
        return (*where, "text", str(row.get("text") or ""))

    def find_existing(self, row: dict) -> Quotation | None:
        try:
            section = self.cell("section", row)
            start = self.cell("start", row)
            end = self.cell("end", row)
        except ValueError:
            return None  # Reported on its column by import_instance.
        text = self.cell("text", row) or ""
        if section is None:
            return None
        if start is None or end is None:
            found = locate(section.body, text)
            if found is None:
                return None
            start, end = found
        matches = list(Quotation.objects.filter(section=section, start=start, end=end)[:2])
        if len(matches) > 1:
            matches = list(Quotation.objects.filter(section=section, start=start, text=text)[:2])
        if len(matches) > 1:
            raise ValidationError({"start": "Two quotations share these offsets and text."})
        return matches[0] if matches else None

    def check_row(self, instance: Quotation, row: dict) -> dict[str, list[str]]:
        return _fill_offsets(instance, instance.text, "text")


class ClaimResource(SpreadsheetResource):
    """Claims, found by essay + section + exact text.

    Status, verdict, anchor_lost, reviewed_on, assigned_to and version are export-only:
    the workflow and the essay importer own them. A status, verdict or anchor_lost cell
    that differs from Counterpoint is an error; the others are only information.
    """

    essay = field("essay", TextWidget(), attribute="section__essay__slug", readonly=True)
    section = field("section", SectionWidget())
    exact = field("exact", TrimmedTextWidget())
    start = field("start", WholeNumberWidget())
    end = field("end", WholeNumberWidget())
    prefix = field("prefix", TextWidget())
    suffix = field("suffix", TextWidget())
    anchor_lost = field("anchor_lost", StrictBooleanWidget(), readonly=True)
    statement = field("statement", TextWidget())
    short_statement = field("short_statement", TextWidget())
    check_worthiness = field("check_worthiness", DecimalNumberWidget())
    verdict_summary = field("verdict_summary", TextWidget())
    status = field("status", ChoiceWidget(ClaimStatus), readonly=True)
    verdict = field("verdict", ChoiceWidget(Verdict), readonly=True)
    reviewed_on = field("reviewed_on", IsoDateWidget(), attribute="reviewed_at", readonly=True)
    assigned_to = field(
        "assigned_to", TextWidget(), attribute="assigned_to__username", readonly=True
    )
    version = field("version", WholeNumberWidget(), readonly=True)

    key_columns = ("essay", "section", "exact")
    required_columns = ("essay", "section", "exact")
    depends_on_field = {"section": ("start", "end"), "exact": ("start", "end")}
    # Where the existing claim of the row being imported stood (see import_instance).
    _stored_span: tuple[int, int] | None = None
    _stored_words: dict | None = None

    class Meta:
        model = Claim
        name = "Claims"
        fields = (
            "essay",
            "section",
            "exact",
            "start",
            "end",
            "prefix",
            "suffix",
            "anchor_lost",
            "statement",
            "short_statement",
            "check_worthiness",
            "verdict_summary",
            "status",
            "verdict",
            "reviewed_on",
            "assigned_to",
            "version",
        )
        export_order = fields

    def get_queryset(self):
        return Claim.objects.with_context().order_by(
            "section__essay__slug", "section__position", "start", "pk"
        )

    def row_key(self, row: dict) -> tuple | None:
        exact = normalise_name(row.get("exact") or "")
        if not exact:
            return None
        where = (name_key(row.get("essay") or ""), str(row.get("section") or "").strip())
        return (*where, exact, str(row.get("start") or "").strip())

    def find_existing(self, row: dict) -> Claim | None:
        try:
            section = self.cell("section", row)
            start = self.cell("start", row)
        except ValueError:
            return None  # Reported on its column by import_instance.
        exact = self.cell("exact", row)
        if section is None or not exact:
            return None
        matches = list(Claim.objects.filter(section=section, exact=exact))
        if len(matches) > 1 and start is not None:
            matches = [claim for claim in matches if claim.start == start]
        if len(matches) > 1:
            raise ValidationError(
                {"exact": f"{len(matches)} claims in this section have this text; give start."}
            )
        return matches[0] if matches else None

    def check_row(self, instance: Claim, row: dict) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        cells = {}
        for column in ("status", "verdict"):
            try:
                cells[column] = self.fields[column].clean(row) if column in row else ""
            except ValueError as exc:
                errors[column] = [str(exc)]
                cells[column] = ""
        current = None if instance._state.adding else (instance.status, instance.verdict)
        for column, messages in claim_import_status_errors(
            current=current, status=cells["status"], verdict=cells["verdict"]
        ).items():
            errors.setdefault(column, []).extend(messages)
        errors.update(self._anchor_errors(instance, row))
        if instance.section_id and instance.start is not None and instance.end is not None:
            body = instance.section.body
            if not instance.prefix:
                instance.prefix = body[max(0, instance.start - ANCHOR_CONTEXT) : instance.start]
            if not instance.suffix:
                instance.suffix = body[instance.end : instance.end + ANCHOR_CONTEXT]
        errors.update(self._approved_errors(instance))
        return errors

    def import_instance(self, instance, row, **kwargs):
        self._stored_span = None if instance._state.adding else (instance.start, instance.end)
        self._stored_words = None if instance._state.adding else _reader_values(instance)
        super().import_instance(instance, row, **kwargs)

    def _approved_errors(self, instance: Claim) -> dict[str, list[str]]:
        """An import may not change what readers see of an approved claim.

        Its approval covered those words; the claim's page (review.services.claim_update)
        sends such an edit back for a new approval, which an import has no way to ask for.
        """
        if self._stored_words is None or instance.status != ClaimStatus.APPROVED:
            return {}
        now = _reader_values(instance)
        return {
            name: [
                "This claim's verdict is approved; an import cannot change what readers see "
                "of it. Edit it on the claim's page, which sends it back for approval."
            ]
            for name, value in self._stored_words.items()
            if now[name] != value
        }

    def _anchor_errors(self, instance: Claim, row: dict) -> dict[str, list[str]]:
        """The anchor_lost cell, and offsets: found when blank, checked when new or moved.

        A claim whose anchor is lost stays where the re-import left it: moving it by
        import would leave the flag describing a problem that is gone, and only the
        claim's page (review.services.claim_update) recomputes the flag.
        """
        errors: dict[str, list[str]] = {}
        if "anchor_lost" in row:
            try:
                cell = self.fields["anchor_lost"].clean(row)
            except ValueError as exc:
                errors["anchor_lost"] = [str(exc)]
            else:
                current = None if instance._state.adding else instance.anchor_lost
                problems = claim_import_anchor_errors(current=current, anchor_lost=cell)
                if problems:
                    errors["anchor_lost"] = problems
        stored = self._stored_span
        if stored is not None and instance.anchor_lost and (instance.start, instance.end) != stored:
            errors["start"] = [
                "This claim's anchor is lost (anchor_lost); an import cannot move it. Fix "
                "the anchor on the claim's page in Counterpoint, which also clears the flag."
            ]
            instance.start, instance.end = stored  # one error, not one more per blank offset
            return errors
        errors.update(_fill_offsets(instance, instance.exact, "exact", stored=stored))
        return errors

    def before_save_instance(self, instance, row, **kwargs):
        """Move an edited claim to its next version, as review.services.claim_update does.

        A form opened on the claim before the import then cannot overwrite the import's
        changes unnoticed; and if the claim changed since this import read it, the row
        is refused (and the whole import rolled back) instead of overwriting that change.
        """
        super().before_save_instance(instance, row, **kwargs)
        if instance._state.adding:
            return
        moved = Claim.objects.filter(pk=instance.pk, version=instance.version).update(
            version=F("version") + 1
        )
        if not moved:
            raise ValidationError(
                "This claim changed in Counterpoint while the file was being imported; "
                "export it again and redo the change."
            )
        instance.version += 1


def _reader_values(claim: Claim) -> dict:
    return {
        name: getattr(claim, Claim._meta.get_field(name).attname) for name in CLAIM_READER_FIELDS
    }


class ClaimWidget(ReferenceWidget):
    """A claim, by the row's `essay` slug and the claim's exact text."""

    def clean(self, value, row=None, **kwargs) -> Claim | None:
        if value is None or not str(value).strip():
            return None
        return self.resolve(value, row)

    def resolve(self, value, row) -> Claim:
        slug = normalise_name((row or {}).get("essay") or "")
        if not slug:
            raise ValueError("Give the essay's slug in the “essay” column.")
        text = str(value).strip()
        matches = self.cached(
            f"claim:{slug}:{text}",
            lambda: list(Claim.objects.filter(section__essay__slug=slug, exact=text)[:2]),
        )
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise ValueError(f"Several claims in “{slug}” have the text “{text}”.")
        raise ValueError(f"No claim in the essay “{slug}” has the text “{text}”.")

    def render(self, value, obj=None, **kwargs) -> str:
        return value.exact if value is not None else ""
