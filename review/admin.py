from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import ngettext

from essays import admin as essays_admin
from essays.history_admin import ReadOnlyHistoryAdmin
from essays.models import Claim, Essay, Section
from essays.resources import ClaimResource
from essays.selectors import claim_context
from review import services
from review.choices import ClaimStatus
from review.forms import AssignForm, ClaimForm, TransitionForm
from review.models import (
    ApprovalItem,
    CounterEvidence,
    PublishOverride,
    QueueItem,
    QuotationCheck,
    ReviewerNote,
    StatusChange,
)
from review.quotecheck_services import quotation_check_context, quotation_check_judge
from review.resources import CounterEvidenceResource
from review.roles import EDITOR, PUBLISHER, REVIEWER
from review.selectors import (
    approval_queue,
    checked_before,
    claim_workflow_context,
    disputed,
    essay_review_summary,
    notes_visible_to,
    review_queue,
    second_review_needed,
)
from review.services import CLAIM_EDITABLE_FIELDS
from review.workflow import Action, ConflictError, TransitionDenied, TransitionError, roles_of
from search.admin import IndexedSearch
from spreadsheets.admin import SpreadsheetAdminMixin


class ReadOnlyAdminMixin:
    """An admin page that shows rows and never writes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignClaimsMixin:
    """Lets a ModelAdmin offer an admin action with permissions=["assign"]."""

    def has_assign_permission(self, request) -> bool:
        return request.user.has_perm("essays.assign_claim")


def assign_claims(modeladmin, request: HttpRequest, claims, *, what: str):
    """Admin action body: ask for a reviewer, then assign every open claim in `claims`."""
    if "assignee" in request.POST:
        form = AssignForm(request.POST)
        if form.is_valid():
            try:
                count, skipped = services.claims_assign(
                    claims=claims, assignee=form.cleaned_data["assignee"], actor=request.user
                )
            except (TransitionDenied, TransitionError, PermissionDenied) as refused:
                modeladmin.message_user(request, _reason(refused), messages.ERROR)
                return None
            assigned = ngettext(
                "Assigned %(n)d claim to %(who)s.", "Assigned %(n)d claims to %(who)s.", count
            )
            modeladmin.message_user(
                request, assigned % {"n": count, "who": form.cleaned_data["assignee"]}
            )
            for line in skipped:
                modeladmin.message_user(request, line, messages.WARNING)
            return None
    else:
        form = AssignForm()
    return TemplateResponse(
        request,
        "admin/review/assign_claims.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": f"Assign claims of {what}",
            "form": form,
            "claim_count": claims.count(),
            "open_count": claims.filter(
                status__in=[ClaimStatus.UNREVIEWED, ClaimStatus.IN_REVIEW]
            ).count(),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action": request.POST["action"],
            "opts": modeladmin.model._meta,
        },
    )


REFUSALS = (TransitionDenied, TransitionError, ConflictError, PermissionDenied, ValidationError)


def apply_each(modeladmin, request, items, apply, *, done: tuple[str, str]) -> int:
    """Apply a service to each item: a refusal is a warning naming the item, the others
    go through; then one message counting them (`done`: singular and plural, with %d)."""
    count = 0
    for item in items:
        try:
            apply(item)
        except REFUSALS as refused:
            modeladmin.message_user(request, f"“{item}”: {_reason(refused)}", messages.WARNING)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, ngettext(*done, count) % count, messages.SUCCESS)
    return count


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def claim_transition_view(modeladmin, request: HttpRequest, object_id: str):
    """POST target of the workflow buttons on a claim's admin page."""
    claim = get_object_or_404(Claim, pk=object_id)
    back = reverse("admin:essays_claim_change", args=[claim.pk])
    if request.method != "POST":
        return HttpResponseRedirect(back)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The request was incomplete: {form.errors.as_text()}")
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    make_move(
        request,
        claim,
        Action(data["action"]),
        expected_version=data["expected_version"],
        comment=data["comment"],
        verdict=data["verdict"],
        summary=data["verdict_summary"],
        assignee=data["assignee"],
        chosen=data["chosen"],
    )
    return HttpResponseRedirect(back)


def reuse_evidence_view(modeladmin, request: HttpRequest, object_id: str):
    """POST target of "Reuse this evidence" in a claim's "Checked before" panel."""
    claim = get_object_or_404(Claim, pk=object_id)
    back = reverse("admin:essays_claim_change", args=[claim.pk])
    if request.method != "POST":
        return HttpResponseRedirect(back)
    chosen = request.POST.get("evidence", "")
    evidence = CounterEvidence.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    if evidence is None:
        messages.error(request, "That counter-evidence no longer exists.")
        return HttpResponseRedirect(back)
    try:
        services.counter_evidence_reuse(claim=claim, evidence=evidence, actor=request.user)
    except (PermissionDenied, ValidationError) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
    else:
        messages.success(request, "The counter-evidence was copied to this claim. It needs "
                                  "a publisher's approval before readers see it.")  # fmt: skip
    return HttpResponseRedirect(back)


def make_move(
    request: HttpRequest,
    claim: Claim,
    action: Action,
    *,
    expected_version: int,
    comment: str = "",
    verdict: str = "",
    summary: str = "",
    assignee=None,
    chosen: int | None = None,
) -> None:
    """One workflow move through its service; says how it went in a message."""
    actor = request.user
    try:
        match action:
            case Action.ASSIGN:
                if assignee is None:
                    raise TransitionError("Choose a reviewer to assign.")
                services.claim_assign(claim=claim, assignee=assignee, actor=actor)
            case Action.TAKE:
                services.claim_take(claim=claim, actor=actor)
            case Action.PROPOSE:
                services.claim_propose_verdict(
                    claim=claim,
                    actor=actor,
                    verdict=verdict,
                    summary=summary,
                    comment=comment,
                    expected_version=expected_version,
                )
            case Action.APPROVE:
                services.claim_approve_verdict(
                    claim=claim, actor=actor, comment=comment, expected_version=expected_version
                )
            case Action.SEND_BACK:
                services.claim_send_back(
                    claim=claim, actor=actor, reason=comment, expected_version=expected_version
                )
            case Action.REOPEN:
                services.claim_reopen(
                    claim=claim, actor=actor, reason=comment, expected_version=expected_version
                )
            case Action.DECIDE:
                stands = claim.independent_verdicts.active().filter(pk=chosen).first()
                if stands is None:
                    raise TransitionError("Choose the verdict that stands.")
                services.claim_decide(
                    claim=claim,
                    actor=actor,
                    chosen=stands,
                    reason=comment,
                    expected_version=expected_version,
                )
    except (TransitionDenied, TransitionError, ConflictError, PermissionDenied) as refused:
        messages.error(request, _reason(refused))
    else:
        messages.success(request, f"Claim is now “{claim.get_status_display()}”.")


# The essays admin in review's layer: essays.admin may not import review, so review
# re-registers Essay and Section with subclasses that add the review panel and assignment
# (publishing.admin then adds its own layer on top of this Essay admin).
admin.site.unregister(Essay)
admin.site.unregister(Section)


@admin.register(Essay)
class EssayAdmin(AssignClaimsMixin, essays_admin.EssayAdmin):
    class Media:
        css = {"all": ["admin-extra/review.css"]}

    readonly_fields = [*essays_admin.EssayAdmin.readonly_fields, "review_progress"]
    fieldsets = [
        *essays_admin.EssayAdmin.fieldsets[:-1],
        ("Review", {"fields": ["review_progress"]}),
        essays_admin.EssayAdmin.fieldsets[-1],
    ]
    actions = [*essays_admin.EssayAdmin.actions, "assign_claims_to_reviewer"]

    @admin.display(description="claims by state")
    def review_progress(self, obj: Essay) -> str:
        if obj.pk is None:
            return "—"
        return render_to_string(
            "admin/essays/essay/review_progress.html",
            {**essay_review_summary(obj), "essay_id": obj.pk},
        )

    @admin.action(
        description="Assign open claims of selected essays to a reviewer…", permissions=["assign"]
    )
    def assign_claims_to_reviewer(self, request, queryset):
        claims = Claim.objects.filter(section__essay__in=queryset)
        return assign_claims(
            self,
            request,
            claims,
            what=ngettext("%d essay", "%d essays", queryset.count()) % queryset.count(),
        )


@admin.register(Section)
class SectionAdmin(AssignClaimsMixin, essays_admin.SectionAdmin):
    actions = [*essays_admin.SectionAdmin.actions, "assign_claims_to_reviewer"]

    @admin.action(
        description="Assign open claims of selected sections to a reviewer…", permissions=["assign"]
    )
    def assign_claims_to_reviewer(self, request, queryset):
        claims = Claim.objects.filter(section__in=queryset)
        return assign_claims(
            self,
            request,
            claims,
            what=ngettext("%d section", "%d sections", queryset.count()) % queryset.count(),
        )


class ReviewerNoteInline(admin.StackedInline):
    model = ReviewerNote
    fk_name = "claim"
    extra = 0
    fields = ["body", "parent", "resolved", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name = "internal note (never public)"
    verbose_name_plural = "internal notes (never public)"

    def get_queryset(self, request):
        return notes_visible_to(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # A reply answers a note of this claim: never list other claims' notes.
            claim_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = ReviewerNote.objects.filter(claim_id=claim_id or None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CounterEvidenceInline(admin.StackedInline):
    model = CounterEvidence
    extra = 0
    fields = ["position", "stance", "source", "summary", "approved"]
    readonly_fields = ["approved"]
    autocomplete_fields = ["source"]
    ordering = ["position", "pk"]
    verbose_name = "counter-evidence (public once approved)"
    verbose_name_plural = "counter-evidence (public once approved)"


class DoubleReviewFilter(admin.SimpleListFilter):
    """Claims of double-review essays waiting for a second verdict, or for a decision."""

    title = "double review"
    parameter_name = "double_review"

    def lookups(self, request, model_admin):
        return [("second", "Second review needed"), ("disputed", "Reviewers disagree")]

    def queryset(self, request, queryset):
        match self.value():
            case "second":
                return second_review_needed(queryset)
            case "disputed":
                return disputed(queryset)
        return queryset


@admin.register(Claim)
class ClaimAdmin(
    IndexedSearch,
    essays_admin.SectionWithinItsEssay,
    SpreadsheetAdminMixin,
    AssignClaimsMixin,
    ReadOnlyHistoryAdmin,
):
    """A claim's page is its fact-check: text and anchor, the workflow panel and buttons,
    internal notes and counter-evidence, each write through the review services."""

    search_kind = "claim"
    resource_classes = [ClaimResource]
    form = ClaimForm
    change_form_template = "admin/essays/claim/change_form.html"
    list_display = ["__str__", "essay", "status", "verdict", "assigned_to", "updated_at"]
    list_select_related = ["section__essay", "assigned_to"]
    list_filter = [
        "status",
        DoubleReviewFilter,
        "verdict",
        "anchor_lost",
        "assigned_to",
        "section__essay",
    ]
    search_fields = ["exact", "statement", "short_statement", "section__essay__title"]
    readonly_fields = ["status", "verdict", "version", "anchor_lost", "created_at", "updated_at"]
    # Offsets and context follow the claim's words (claim_update re-anchors them): shown,
    # never typed. The verdict's explanation is edited in the fact-check box at the top.
    ANCHOR_FIELDS = ["start", "end", "prefix", "suffix"]
    fieldsets = [
        (None, {"fields": ["section", "exact", "anchor_lost"]}),
        ("Statement", {"fields": ["statement", "short_statement", "check_worthiness"]}),
        (
            "Fact-check",
            {"fields": ["status", "verdict", "assigned_to", "version", "expected_version"]},
        ),
        ("Anchor (set from the claim's words)", {"fields": ANCHOR_FIELDS, "classes": ["collapse"]}),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [ReviewerNoteInline, CounterEvidenceInline]
    actions = ["assign_to_reviewer"]

    def get_urls(self):
        transition = self.admin_site.admin_view(
            lambda request, object_id: claim_transition_view(self, request, object_id)
        )
        reuse = self.admin_site.admin_view(
            lambda request, object_id: reuse_evidence_view(self, request, object_id)
        )
        return [
            path("<path:object_id>/transition/", transition, name="essays_claim_transition"),
            path("<path:object_id>/reuse-evidence/", reuse, name="essays_claim_reuse_evidence"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Assignment is a workflow move (with an audit row), not a form field.
            fields += ["assigned_to", *self.ANCHOR_FIELDS]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The explanation is a field of the page's form, shown in the fact-check box; a new
        # claim is placed by its offsets and gets its explanation with a verdict.
        fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = fields if obj is None else [*fields, "verdict_summary"]
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or roles_of(request.user) & {PUBLISHER, EDITOR}:
            return True
        return obj.assigned_to_id == request.user.pk

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            claim = self.get_object(request, object_id)
            if claim is not None:
                workflow = claim_workflow_context(claim, request.user)
                extra_context.update(workflow)
                # Who may change the claim gets one form: moves are buttons of the page's form.
                extra_context["one_form"] = self.has_change_permission(request, claim)
                extra_context["move_names"] = {t.action.value for t in workflow["transitions"]}
                extra_context["checked_before"] = checked_before(claim)
                # The service says who may (assignee, editor, publisher); others see no button.
                extra_context["may_reuse"] = request.user.has_perm("review.add_counterevidence")
                extra_context["transition_form"] = TransitionForm(
                    initial={
                        "expected_version": claim.version,
                        "verdict_summary": claim.verdict_summary,
                    }
                )
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictError as conflict:
            # A save raced another one after the form's own version check: nothing was written.
            messages.error(request, str(conflict))
            return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        if not change:
            # An assignee chosen on the add form is assigned by the service, with its
            # audit row, once the claim exists.
            assignee, obj.assigned_to = obj.assigned_to, None
            super().save_model(request, obj, form, change)
            if assignee is not None:
                try:
                    services.claim_assign(claim=obj, assignee=assignee, actor=request.user)
                except (TransitionDenied, TransitionError) as refused:
                    messages.warning(request, f"The claim was saved unassigned: {refused}")
            return
        edited = [name for name in form.changed_data if name in CLAIM_EDITABLE_FIELDS]
        # A move button saves the page, then moves (response_change): keep what it needs.
        request._claim_save = {"form": form.cleaned_data, "move": form.move, "edited": edited}
        if edited:
            services.claim_update(
                claim=obj,
                actor=request.user,
                expected_version=form.cleaned_data["expected_version"],
                data={name: form.cleaned_data[name] for name in edited},
            )

    def response_change(self, request, obj):
        saved = getattr(request, "_claim_save", None)
        if not saved or saved["move"] is None:
            return super().response_change(request, obj)
        data = saved["form"]
        obj.refresh_from_db()
        # The save checked the page's version and moved it on; with nothing edited, the
        # move itself checks the version the page was loaded at.
        version = obj.version if saved["edited"] else data["expected_version"]
        if saved["edited"] or request._claim_inlines_changed:
            self.message_user(request, "Your changes on this page were saved.", messages.SUCCESS)
        make_move(
            request,
            obj,
            saved["move"],
            expected_version=version,
            comment=data["move_comment"],
            verdict=data["move_verdict"],
            summary=obj.verdict_summary,
            assignee=data["move_assignee"],
            chosen=data["move_chosen"],
        )
        return HttpResponseRedirect(request.path)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        request._claim_inlines_changed = any(
            formset.new_objects or formset.changed_objects or formset.deleted_objects
            for formset in formsets
        )

    def save_formset(self, request, form, formset, change):
        """Notes and counter-evidence are written through the review services."""
        claim = form.instance
        # The admin's change message reads these three lists, as formset.save() would set them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                deleted.instance.delete()
                formset.deleted_objects.append(deleted.instance)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            data, instance = inline_form.cleaned_data, inline_form.instance
            if instance.pk is None:
                formset.new_objects.append(self._create_inline(request, claim, formset.model, data))
                continue
            if formset.model is ReviewerNote:
                if "resolved" in inline_form.changed_data:
                    services.note_resolve(
                        note=instance, actor=request.user, resolved=data["resolved"]
                    )
            else:
                services.counter_evidence_update(
                    evidence=instance,
                    actor=request.user,
                    data={
                        name: data[name]
                        for name in inline_form.changed_data
                        if name in services.COUNTER_EVIDENCE_EDITABLE_FIELDS
                    },
                )
            formset.changed_objects.append((instance, inline_form.changed_data))

    @staticmethod
    def _create_inline(request, claim, model, data):
        if model is ReviewerNote:
            return services.note_create(
                claim=claim, author=request.user, body=data["body"], parent=data.get("parent")
            )
        return services.counter_evidence_create(
            claim=claim,
            actor=request.user,
            source=data["source"],
            summary=data["summary"],
            stance=data["stance"],
            position=data.get("position") or None,
        )

    @admin.action(description="Assign selected claims to a reviewer…", permissions=["assign"])
    def assign_to_reviewer(self, request, queryset):
        return assign_claims(self, request, queryset, what="the selection")

    @admin.display(description="essay", ordering="section__essay__title")
    def essay(self, obj: Claim) -> Essay:
        return obj.section.essay


@admin.register(QueueItem)
class QueueAdmin(IndexedSearch, ReadOnlyAdminMixin, admin.ModelAdmin):
    search_kind = "claim"
    """“My queue”: the signed-in reviewer's open claims, oldest assignment first."""

    list_display = ["claim", "essay", "section_heading", "age", "open_notes", "note_count"]
    list_filter = ["section__essay"]
    search_fields = ["exact", "statement", "section__essay__title"]
    list_select_related = ["section__essay"]
    sortable_by = ["essay", "section_heading", "age", "open_notes", "note_count"]

    def get_queryset(self, request):
        return review_queue(user=request.user)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": "My queue: claims waiting for your verdict",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("essays.view_claim")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description="claim")
    def claim(self, obj: QueueItem) -> str:
        url = reverse("admin:essays_claim_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, str(obj))

    @admin.display(description="essay", ordering="section__essay__title")
    def essay(self, obj: QueueItem) -> str:
        return obj.section.essay.title

    @admin.display(description="section", ordering="section__position")
    def section_heading(self, obj: QueueItem) -> str:
        return obj.section.heading or "Introduction"

    @admin.display(description="waiting", ordering="assigned_at")
    def age(self, obj: QueueItem) -> str:
        return timesince(obj.assigned_at or obj.created_at, timezone.now())

    @admin.display(description="open notes", ordering="open_notes")
    def open_notes(self, obj: QueueItem) -> int:
        return obj.open_notes

    @admin.display(description="notes", ordering="note_count")
    def note_count(self, obj: QueueItem) -> int:
        return obj.note_count

    def get_list_display_links(self, request, list_display):
        return None


@admin.register(ApprovalItem)
class ApprovalQueueAdmin(IndexedSearch, ReadOnlyAdminMixin, admin.ModelAdmin):
    search_kind = "claim"
    """“Awaiting my approval”: verdicts others proposed and counter-evidence others wrote,
    across essays, each with the claim in context; approve row by row or in bulk, send
    back with a reason. Every approval goes through the review services (never one's own;
    one audit row per claim)."""

    list_display = ["claim_in_context", "proposed_verdict", "evidence_awaiting", "buttons"]
    list_filter = ["section__essay"]
    search_fields = ["exact", "statement", "section__essay__title"]
    actions = ["approve_verdicts", "approve_evidence", "send_back_verdicts"]
    change_list_template = "admin/review/approvalitem/change_list.html"

    def get_queryset(self, request):
        return approval_queue(user=request.user)

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [path("decide/", decide, name="review_approvalitem_decide"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Awaiting my approval", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def has_view_permission(self, request, obj=None):
        return bool(roles_of(request.user) & {REVIEWER, PUBLISHER})

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_approve_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def get_list_display_links(self, request, list_display):
        return None

    @admin.display(description="claim, in its essay")
    def claim_in_context(self, obj: ApprovalItem) -> str:
        context = claim_context(obj, chars=100)
        return format_html(
            '<a href="{}">{}</a> <span class="cp-where">{} — {}</span>'
            '<blockquote class="cp-context" dir="auto">{}<mark>{}</mark>{}</blockquote>',
            reverse("admin:essays_claim_change", args=[obj.pk]),
            str(obj),
            obj.section.essay.title,
            obj.section.heading or "Introduction",
            context["before"],
            context["exact"],
            context["after"],
        )

    @admin.display(description="proposed verdict")
    def proposed_verdict(self, obj: ApprovalItem) -> str:
        if obj.status != ClaimStatus.PROPOSED:
            return format_html('<span class="cp-quiet">{}</span>', obj.get_status_display())
        return format_html(
            '<strong>{}</strong> <span class="cp-quiet">by {}</span>'
            '<div class="cp-explanation" dir="auto">{}</div>',
            obj.get_verdict_display(),
            obj.verdict_proposed_by or "—",
            obj.verdict_summary or "(no explanation)",
        )

    @admin.display(description="evidence to approve")
    def evidence_awaiting(self, obj: ApprovalItem) -> str:
        if not obj.awaiting_evidence:
            return "—"
        decide = reverse("admin:review_approvalitem_decide")
        return format_html_join(
            "",
            '<div class="cp-evidence"><strong>{}</strong>: <span dir="auto">{}</span> '
            '<span class="cp-quiet">({}; by {})</span> '
            '<button type="submit" class="button" formaction="{}" name="approve_evidence" '
            'value="{}">Approve this evidence</button></div>',
            (
                (
                    item.get_stance_display(),
                    item.summary,
                    item.source.title,
                    item.created_by or "—",
                    decide,
                    item.pk,
                )
                for item in obj.awaiting_evidence
            ),
        )

    @admin.display(description="decide")
    def buttons(self, obj: ApprovalItem) -> str:
        if obj.status != ClaimStatus.PROPOSED:
            return "—"
        return format_html(
            '<button type="submit" class="button default" formaction="{}" name="approve_claim" '
            'value="{}:{}">Approve verdict</button> '
            '<a class="button" href="{}#cp-moves">Send back…</a>',
            reverse("admin:review_approvalitem_decide"),
            obj.pk,
            obj.version,
            reverse("admin:essays_claim_change", args=[obj.pk]),
        )

    def decide_view(self, request: HttpRequest):
        """A row's button: approve one verdict, or one item of counter-evidence."""
        back = reverse("admin:review_approvalitem_changelist")
        if request.method != "POST" or not self.has_view_permission(request):
            raise PermissionDenied
        claim_value, evidence_value = (
            request.POST.get("approve_claim"),
            request.POST.get("approve_evidence"),
        )
        if claim_value:
            pk, _, version = claim_value.partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise Http404("No such claim.")
            claim = get_object_or_404(Claim, pk=pk)
            self._approve_claims(request, [claim], {claim.pk: int(version)})
        elif evidence_value:
            if not evidence_value.isdigit():
                raise Http404("No such counter-evidence.")
            self._approve_evidence(
                request, CounterEvidence.objects.filter(pk=evidence_value, approved=False)
            )
        return HttpResponseRedirect(back + ("?" + request.GET.urlencode() if request.GET else ""))

    def _approve_claims(self, request, claims, versions: dict[int, int]) -> None:
        apply_each(
            self,
            request,
            claims,
            lambda claim: services.claim_approve_verdict(
                claim=claim, actor=request.user, expected_version=versions[claim.pk]
            ),
            done=("Approved %d verdict.", "Approved %d verdicts."),
        )

    def _approve_evidence(self, request, evidence) -> None:
        apply_each(
            self,
            request,
            evidence,
            lambda item: services.counter_evidence_approve(evidence=item, actor=request.user),
            done=(
                "Approved %d item of counter-evidence; readers see it from the next publish.",
                "Approved %d items of counter-evidence; readers see them from the next publish.",
            ),
        )

    @admin.action(description="Approve the selected verdicts", permissions=["approve"])
    def approve_verdicts(self, request, queryset):
        proposed = [c for c in queryset if c.status == ClaimStatus.PROPOSED]
        self._approve_claims(request, proposed, {claim.pk: claim.version for claim in proposed})

    @admin.action(
        description="Approve the selected claims' counter-evidence", permissions=["approve"]
    )
    def approve_evidence(self, request, queryset):
        self._approve_evidence(
            request, [item for claim in queryset for item in claim.awaiting_evidence]
        )

    @admin.action(description="Send the selected verdicts back…", permissions=["approve"])
    def send_back_verdicts(self, request, queryset):
        """Asks for one reason, then sends each claim back (an audit row each)."""
        reason = request.POST.get("reason", "").strip()
        if "confirm_send_back" in request.POST and reason:
            apply_each(
                self,
                request,
                queryset.filter(status=ClaimStatus.PROPOSED),
                lambda claim: services.claim_send_back(
                    claim=claim, actor=request.user, reason=reason
                ),
                done=("Sent %d verdict back.", "Sent %d verdicts back."),
            )
            return None
        return TemplateResponse(
            request,
            "admin/review/approvalitem/send_back.html",
            {
                **self.admin_site.each_context(request),
                "title": "Send verdicts back for more review",
                "claims": queryset,
                "reason_missing": "confirm_send_back" in request.POST,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "opts": self.model._meta,
            },
        )


@admin.register(ReviewerNote)
class ReviewerNoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "claim", "author", "resolved", "created_at"]
    list_select_related = ["claim", "author"]
    list_filter = ["resolved", "author"]
    search_fields = ["body", "claim__exact"]
    autocomplete_fields = ["claim", "parent"]
    readonly_fields = ["author", "resolved_by", "resolved_at", "created_at"]
    actions = ["resolve_notes"]

    def get_queryset(self, request):
        return notes_visible_to(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.author_id != request.user.pk:
            # Others may resolve a note, never rewrite what its author said.
            fields += ["body", "parent", "claim"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
            obj.pk = services.note_create(
                claim=obj.claim, author=request.user, body=obj.body, parent=obj.parent
            ).pk
            return
        super().save_model(request, obj, form, change)
        if "resolved" in form.changed_data:
            services.note_resolve(note=obj, actor=request.user, resolved=obj.resolved)

    def has_resolve_permission(self, request) -> bool:
        """Reviewers and publishers resolve any note; editors the notes they wrote."""
        return self.has_change_permission(request) or self.has_add_permission(request)

    @admin.action(description="Mark selected notes resolved", permissions=["resolve"])
    def resolve_notes(self, request, queryset):
        resolved = refused = 0
        for note in queryset:
            try:
                services.note_resolve(note=note, actor=request.user)
                resolved += 1
            except PermissionDenied:
                refused += 1
        if resolved:
            self.message_user(
                request, ngettext("Resolved %d note.", "Resolved %d notes.", resolved) % resolved
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%d note was left open: you may resolve only the notes you wrote.",
                    "%d notes were left open: you may resolve only the notes you wrote.",
                    refused,
                )
                % refused,
                level=messages.WARNING,
            )


@admin.register(CounterEvidence)
class CounterEvidenceAdmin(SpreadsheetAdminMixin, ReadOnlyHistoryAdmin):
    resource_classes = [CounterEvidenceResource]
    list_display = ["__str__", "claim", "stance", "approved", "updated_at"]
    list_select_related = ["claim", "source"]
    list_filter = ["approved", "stance", "source__outlet"]
    search_fields = ["summary", "source__title", "claim__exact"]
    autocomplete_fields = ["claim", "source"]
    readonly_fields = [
        "approved",
        "approved_by",
        "approved_at",
        "created_by",
        "text_edited_by",
        "created_at",
    ]
    actions = ["approve", "withdraw"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = services.counter_evidence_create(
                claim=obj.claim,
                actor=request.user,
                source=obj.source,
                summary=obj.summary,
                stance=obj.stance,
                position=obj.position or None,
            ).pk
            return
        services.counter_evidence_update(
            evidence=obj,
            actor=request.user,
            data={
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in services.COUNTER_EVIDENCE_EDITABLE_FIELDS
            },
        )

    def has_change_permission(self, request, obj=None):
        """Reviewers change counter-evidence only on the claims assigned to them."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or roles_of(request.user) & {PUBLISHER, EDITOR}:
            return True
        return obj.claim.assigned_to_id == request.user.pk

    def has_approve_permission(self, request):
        return request.user.has_perm("review.approve_counterevidence")

    @admin.action(
        description="Approve selected counter-evidence for readers", permissions=["approve"]
    )
    def approve(self, request, queryset):
        approved, refused = 0, []
        for evidence in queryset:
            try:
                services.counter_evidence_approve(evidence=evidence, actor=request.user)
                approved += 1
            except PermissionDenied:
                refused.append(evidence)
        if approved:
            self.message_user(
                request,
                ngettext(
                    "Approved %d item; readers see it from the next publish.",
                    "Approved %d items; readers see them from the next publish.",
                    approved,
                )
                % approved,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "Not approved: you wrote or last changed %d item; someone else must "
                    "approve it.",
                    "Not approved: you wrote or last changed %d items; someone else must "
                    "approve them.",
                    len(refused),
                )
                % len(refused),
                level=messages.WARNING,
            )

    @admin.action(
        description="Withdraw approval of selected counter-evidence", permissions=["approve"]
    )
    def withdraw(self, request, queryset):
        for evidence in queryset:
            services.counter_evidence_approve(evidence=evidence, actor=request.user, approved=False)
        count = queryset.count()
        self.message_user(
            request, ngettext("Withdrew %d item.", "Withdrew %d items.", count) % count
        )


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit trail: readable by every role, writable by no one."""

    list_display = ["claim", "from_status", "to_status", "to_verdict", "actor", "created_at"]
    list_select_related = ["claim", "actor"]
    list_filter = ["to_status", "to_verdict", "actor"]
    search_fields = ["claim__exact", "comment"]
    date_hierarchy = "created_at"


@admin.register(PublishOverride)
class PublishOverrideAdmin(StatusChangeAdmin):
    """Publishing over the review gate: who, when, why, and what was still open."""

    list_display = ["essay", "actor", "reason", "created_at"]
    list_select_related = ["essay", "actor"]
    list_filter = ["actor"]
    search_fields = ["essay__title", "reason"]


@admin.register(QuotationCheck)
class QuotationCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each quotation as checked against its source's document: the original passage in
    context beside it, and the reviewer's confirmation or override (with a reason)."""

    list_display = ["quotation", "essay", "status", "judged", "checked_at"]
    list_select_related = ["quotation__section__essay", "confirmed_by"]
    list_filter = ["status", "override_status", "quotation__section__essay"]
    search_fields = ["quoted_text", "quotation__section__essay__title"]
    change_form_template = "admin/review/quotationcheck/change_form.html"
    fields = ["quotation", "status", "score", "document", "checked_at", "judged"]
    readonly_fields = fields

    def get_urls(self):
        judge = self.admin_site.admin_view(self.judge_view)
        return [
            path("<path:object_id>/judge/", judge, name="review_quotationcheck_judge"),
            *super().get_urls(),
        ]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("review.view_quotationcheck")

    @admin.display(description="essay", ordering="quotation__section__essay__title")
    def essay(self, obj: QuotationCheck) -> str:
        return obj.quotation.section.essay.title

    @admin.display(description="reviewer's judgement")
    def judged(self, obj: QuotationCheck) -> str:
        if obj.confirmed_by_id is None:
            return "not yet judged"
        if obj.override_status:
            return (
                f"{obj.get_override_status_display()} (overridden by {obj.confirmed_by}: "
                f"{obj.override_reason})"
            )
        return f"confirmed by {obj.confirmed_by}"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        check = self.get_object(request, object_id) if object_id else None
        if check is not None:
            extra_context = {
                **(extra_context or {}),
                "check": check,
                "passage": quotation_check_context(check),
                "statuses": QuotationCheck.Status.choices,
                "may_judge": request.user.has_perm("review.change_quotationcheck"),
            }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def judge_view(self, request: HttpRequest, object_id: str):
        check = self.get_object(request, object_id)  # None for an id that is not one
        if check is None:
            raise Http404("No such quotation check.")
        back = reverse("admin:review_quotationcheck_change", args=[check.pk])
        if request.method != "POST":
            return HttpResponseRedirect(back)
        try:
            quotation_check_judge(
                check=check,
                actor=request.user,
                override_status=request.POST.get("override_status", ""),
                reason=request.POST.get("override_reason", ""),
            )
        except ValidationError as refused:
            messages.error(request, _reason(refused))
        else:
            messages.success(request, "Your judgement of this quotation's check is recorded.")
        return HttpResponseRedirect(back)
