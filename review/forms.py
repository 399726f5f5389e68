"""Forms of the review workflow's admin screens."""

from django import forms

from essays.models import Claim
from review.choices import Verdict
from review.selectors import reviewers
from review.services import CLAIM_EDITABLE_FIELDS, claim_conflict
from review.workflow import Action


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

    class Meta:
        model = Claim
        # The text fields editors edit, and the assignee shown (read-only once saved).
        fields = [*CLAIM_EDITABLE_FIELDS, "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = reviewers()
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

    def clean(self):
        cleaned = super().clean()
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
