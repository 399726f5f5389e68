from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from simple_history.admin import SimpleHistoryAdmin

from essays.models import Claim
from review import services
from review.choices import ClaimStatus
from review.forms import AssignForm, TransitionForm
from review.models import CounterEvidence, PublishOverride, QueueItem, ReviewerNote, StatusChange
from review.resources import CounterEvidenceResource
from review.roles import EDITOR, PUBLISHER
from review.workflow import Action, ConflictError, TransitionDenied, TransitionError, roles_of
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
            modeladmin.message_user(
                request, f"Assigned {count} claim(s) to {form.cleaned_data['assignee']}."
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
    version, comment = data["expected_version"], data["comment"]
    try:
        match Action(data["action"]):
            case Action.ASSIGN:
                if data["assignee"] is None:
                    raise TransitionError("Choose a reviewer to assign.")
                services.claim_assign(claim=claim, assignee=data["assignee"], actor=request.user)
            case Action.PROPOSE:
                services.claim_propose_verdict(
                    claim=claim,
                    actor=request.user,
                    verdict=data["verdict"],
                    summary=data["verdict_summary"],
                    comment=comment,
                    expected_version=version,
                )
            case Action.APPROVE:
                services.claim_approve_verdict(
                    claim=claim, actor=request.user, comment=comment, expected_version=version
                )
            case Action.SEND_BACK:
                services.claim_send_back(
                    claim=claim, actor=request.user, reason=comment, expected_version=version
                )
            case Action.REOPEN:
                services.claim_reopen(
                    claim=claim, actor=request.user, reason=comment, expected_version=version
                )
    except (TransitionDenied, TransitionError, ConflictError, PermissionDenied) as refused:
        messages.error(request, _reason(refused))
    else:
        messages.success(request, f"Claim is now “{claim.get_status_display()}”.")
    return HttpResponseRedirect(back)


@admin.register(QueueItem)
class QueueAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """“My queue”: the signed-in reviewer's open claims, oldest assignment first."""

    list_display = ["claim", "essay", "section_heading", "age", "open_notes", "note_count"]
    list_filter = ["section__essay"]
    search_fields = ["exact", "statement", "section__essay__title"]
    list_select_related = ["section__essay"]
    sortable_by = ["essay", "section_heading", "age", "open_notes", "note_count"]

    def get_queryset(self, request):
        return (
            QueueItem.objects.open()
            .filter(assigned_to=request.user)
            .select_related("section__essay")
            .annotate(
                note_count=Count("notes", distinct=True),
                open_notes=Count("notes", filter=Q(notes__resolved=False), distinct=True),
                assigned_at=Max(
                    "status_changes__created_at",
                    filter=Q(status_changes__to_status=ClaimStatus.IN_REVIEW),
                ),
            )
            .order_by("assigned_at", "pk")
        )

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


@admin.register(ReviewerNote)
class ReviewerNoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "claim", "author", "resolved", "created_at"]
    list_select_related = ["claim", "author"]
    list_filter = ["resolved", "author"]
    search_fields = ["body", "claim__exact"]
    autocomplete_fields = ["claim", "parent"]
    readonly_fields = ["author", "resolved_by", "resolved_at", "created_at"]
    actions = ["resolve_notes"]

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

    @admin.action(description="Mark selected notes resolved", permissions=["change"])
    def resolve_notes(self, request, queryset):
        for note in queryset:
            services.note_resolve(note=note, actor=request.user)
        self.message_user(request, f"Resolved {queryset.count()} note(s).")


@admin.register(CounterEvidence)
class CounterEvidenceAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [CounterEvidenceResource]
    list_display = ["__str__", "claim", "stance", "approved", "updated_at"]
    list_select_related = ["claim", "source"]
    list_filter = ["approved", "stance", "source__outlet"]
    search_fields = ["summary", "source__title", "claim__exact"]
    autocomplete_fields = ["claim", "source"]
    readonly_fields = ["approved", "approved_by", "approved_at", "created_by", "created_at"]
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
        for evidence in queryset:
            services.counter_evidence_approve(evidence=evidence, actor=request.user)
        self.message_user(
            request, f"Approved {queryset.count()} item(s); readers see them from the next publish."
        )

    @admin.action(
        description="Withdraw approval of selected counter-evidence", permissions=["approve"]
    )
    def withdraw(self, request, queryset):
        for evidence in queryset:
            services.counter_evidence_approve(evidence=evidence, actor=request.user, approved=False)
        self.message_user(request, f"Withdrew {queryset.count()} item(s).")


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
