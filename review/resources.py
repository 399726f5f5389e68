"""Spreadsheet import and export of counter-evidence.

A row is found by its claim (the essay's slug in `essay`, the claim's exact text in
`claim`) and its source (URL, or title for sources without one). The `approved` column
is export-only: approval is a publisher's decision, taken in Counterpoint.
"""

from django.core.exceptions import ValidationError

from essays.resources import ClaimWidget
from review.choices import Stance
from review.models import CounterEvidence
from sources.resources import SourceWidget
from spreadsheets.resources import SpreadsheetResource, field
from spreadsheets.widgets import (
    ChoiceWidget,
    StrictBooleanWidget,
    TextWidget,
    WholeNumberWidget,
    name_key,
)


def counter_evidence_approval_errors(*, current: bool | None, approved: bool | None) -> list[str]:
    """Why an `approved` cell is refused: imports never approve or unapprove evidence.

    `current` is the row's approval in the database (None for new counter-evidence);
    `approved` is the cell (None when blank, which states nothing and is accepted).
    """
    if approved is None:
        return []
    if current is None and approved:
        return [
            "Counter-evidence cannot be imported as approved; a publisher approves it in "
            "Counterpoint."
        ]
    if current is not None and approved != current:
        state = "approved" if current else "not approved"
        return [
            f"This counter-evidence is {state} in Counterpoint; an import cannot change "
            "that. A publisher approves it in Counterpoint."
        ]
    return []


class CounterEvidenceResource(SpreadsheetResource):
    """Counter-evidence, found by claim + source (+ position when a source is cited twice)."""

    essay = field("essay", TextWidget(), attribute="claim__section__essay__slug", readonly=True)
    claim = field("claim", ClaimWidget())
    source = field("source", SourceWidget())
    stance = field("stance", ChoiceWidget(Stance), default=Stance.CONTRADICTS)
    position = field("position", WholeNumberWidget(), default=0)
    summary = field("summary", TextWidget())
    approved = field("approved", StrictBooleanWidget(), readonly=True)

    key_columns = ("essay", "claim", "source", "position")
    required_columns = ("essay", "claim", "source", "summary")

    class Meta:
        model = CounterEvidence
        name = "Counter-evidence"
        fields = ("essay", "claim", "source", "stance", "position", "summary", "approved")
        export_order = fields

    def get_queryset(self):
        return CounterEvidence.objects.select_related("claim__section__essay", "source").order_by(
            "claim__section__essay__slug",
            "claim__section__position",
            "claim__start",
            "position",
            "pk",
        )

    def row_key(self, row: dict) -> tuple | None:
        values = tuple(name_key(str(row.get(c) or "")) for c in self.key_columns)
        return values if values[1] else None

    def find_existing(self, row: dict) -> CounterEvidence | None:
        try:
            claim = self.cell("claim", row)
            source = self.cell("source", row)
            position = self.cell("position", row)
        except ValueError:
            return None  # Reported on its column by import_instance.
        if claim is None or source is None:
            return None
        matches = list(CounterEvidence.objects.filter(claim=claim, source=source))
        if len(matches) > 1:
            matches = [evidence for evidence in matches if evidence.position == position]
        if len(matches) > 1:
            raise ValidationError(
                {"source": "This claim cites this source twice at the same position."}
            )
        return matches[0] if matches else None

    def check_row(self, instance: CounterEvidence, row: dict) -> dict[str, list[str]]:
        if "approved" not in row:
            return {}
        try:
            approved = self.fields["approved"].clean(row)
        except ValueError as exc:
            return {"approved": [str(exc)]}
        current = None if instance._state.adding else instance.approved
        errors = counter_evidence_approval_errors(current=current, approved=approved)
        return {"approved": errors} if errors else {}

    def before_save_instance(self, instance, row, **kwargs):
        """Record who wrote or changed the text; a change to approved text withdraws the
        approval (as review.services.counter_evidence_update does): someone other than
        the importer must read the new words before readers do."""
        super().before_save_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        user = user if getattr(user, "pk", None) else None
        if instance._state.adding:
            if instance.created_by_id is None and user is not None:
                instance.created_by = user
            instance.text_edited_by = user
            return
        stored = CounterEvidence.objects.get(pk=instance.pk)
        public = ("claim_id", "summary", "source_id", "stance")
        if any(getattr(stored, name) != getattr(instance, name) for name in public):
            instance.text_edited_by = user
            instance.approved, instance.approved_by, instance.approved_at = False, None, None
