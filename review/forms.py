"""Forms of the review workflow's admin screens."""

from django import forms

from essays.models import Claim
from review.choices import Verdict
from review.selectors import reviewers
from review.services import CLAIM_EDITABLE_FIELDS, claim_conflict, claim_reanchored
from review.workflow import TRANSITIONS, Action

# The claim page is one form (the admin's, id "claim_form"): the fact-check box at the top
# holds some of its fields, tied to it by the form attribute, and its move buttons submit
# everything typed anywhere on the page with the move.
CLAIM_FORM_ID = "claim_form"
MOVE_BUTTON = "_move"


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=reviewers(), label="Reviewer")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers()


class TransitionForm(forms.Form):
    """One workflow move on one claim, posted from the claim's admin page."""

    action = forms.ChoiceField(choices=[(a.value, a.value) for a in Action])
    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(choices=[("", "—"), *Verdict.choices], required=False)
    verdict_summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Public explanation of the verdict (Markdown).",
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    assignee = forms.ModelChoiceField(queryset=reviewers(), required=False)
    # Deciding between two independent verdicts: the one that stands.
    chosen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers()


class ClaimForm(forms.ModelForm):
    """The claim's text fields, carrying the version the editor started from."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The workflow move a button of the fact-check box asks for, made after the save.
    move_verdict = forms.ChoiceField(
        label="Verdict", choices=[("", "—"), *Verdict.choices], required=False
    )
    move_assignee = forms.ModelChoiceField(label="Reviewer", queryset=reviewers(), required=False)
    move_chosen = forms.IntegerField(required=False, widget=forms.HiddenInput)
    move_comment = forms.CharField(
        label="Comment or reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Goes into the claim's history. Required to send back, reopen or decide.",
    )

    class Meta:
        model = Claim
        # The text fields editors edit, and the assignee shown (read-only once saved).
        fields = [*CLAIM_EDITABLE_FIELDS, "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = reviewers()
        self.fields["move_assignee"].queryset = reviewers()
        for name in ("move_verdict", "move_assignee", "move_chosen", "move_comment",
                     "verdict_summary"):  # fmt: skip
            if name in self.fields:
                self.fields[name].widget.attrs["form"] = CLAIM_FORM_ID
        if self.instance.pk:
            # Every save of an existing claim says which version it started from: a POST
            # without it would skip the conflict check and overwrite someone's edit.
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True
            if "section" in self.fields:
                # A claim stays in its essay: only that essay's sections are offered.
                self.fields["section"].queryset = self.fields["section"].queryset.filter(
                    essay_id=self.instance.section.essay_id
                )

    @property
    def move(self) -> Action | None:
        """The move asked for with this save, if a move button was pressed."""
        try:
            return Action(self.data.get(MOVE_BUTTON, ""))
        except ValueError:
            return None

    def _clean_move(self, cleaned: dict) -> None:
        """What a move needs is given, so that a refused move saves nothing and loses nothing:
        the page comes back with every input as typed. Who may move is the service's call."""
        move = self.move
        if move is None:
            return
        if move == Action.PROPOSE and not cleaned.get("move_verdict"):
            self.add_error("move_verdict", "Choose a verdict to propose.")
        if move == Action.ASSIGN and not cleaned.get("move_assignee"):
            self.add_error("move_assignee", "Choose a reviewer to assign.")
        if move == Action.DECIDE and not cleaned.get("move_chosen"):
            self.add_error("move_chosen", "Choose the verdict that stands.")
        transition = TRANSITIONS[move]
        if transition.needs_comment and not (cleaned.get("move_comment") or "").strip():
            self.add_error("move_comment", f"{transition.label} needs a reason.")

    def clean(self):
        cleaned = super().clean()
        self._clean_move(cleaned)
        moved = {name: cleaned[name] for name in ("exact", "section")
                 if name in self.changed_data and cleaned.get(name)}  # fmt: skip
        if self.instance.pk and moved:
            try:
                # The instance still holds the stored claim: the form writes to it after clean().
                claim_reanchored(self.instance, moved)
            except forms.ValidationError as wrong:
                self.add_error(None, wrong)
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None:
            current = Claim.objects.get(pk=self.instance.pk)
            if current.version != expected:
                # Saving again from this form knowingly replaces the other edit.
                self.data = self.data.copy()
                self.data[self.add_prefix("expected_version")] = current.version
                raise forms.ValidationError(
                    f"{claim_conflict(current, expected)} Check the fields; saving again "
                    "replaces the other edit with yours.",
                    code="conflict",
                )
        return cleaned
