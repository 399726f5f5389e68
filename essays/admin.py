from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin
from taggit.admin import TagAdmin
from taggit.managers import TaggableManager
from taggit.models import Tag

from essays.admin_actions import public_state, publish_selected, unpublish_selected
from essays.admin_import import essay_import_view
from essays.candidates import claim_candidate_accept, claim_candidate_reject
from essays.models import Claim, ClaimCandidate, Essay, Quotation, Section
from essays.resources import ClaimResource, QuotationResource
from essays.selectors import claim_workflow_context, essay_review_summary
from review import services
from review.admin import AssignClaimsMixin, assign_claims, claim_transition_view
from review.forms import ClaimForm
from review.models import CounterEvidence, ReviewerNote
from review.roles import EDITOR, PUBLISHER
from review.services import CLAIM_EDITABLE_FIELDS
from review.workflow import ConflictError, roles_of
from sources.forms import BoundedTagField
from spreadsheets.admin import SpreadsheetAdminMixin


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "heading", "anchor", "body"]
    # Derived once from the heading and then kept, so links to a section survive edits.
    readonly_fields = ["anchor"]
    ordering = ["position"]
    show_change_link = True


@admin.register(Essay)
class EssayAdmin(AssignClaimsMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "status",
        "byline",
        "section_count",
        "claim_count",
        "tag_list",
        "updated_at",
    ]
    list_filter = ["status", "tags", "language"]
    search_fields = ["title", "slug", "byline", "dek"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status",
        "public_page",
        "created_by",
        "created_at",
        "updated_at",
        "review_progress",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "byline", "dek", "tags", "language"]}),
        ("Origin", {"fields": ["canonical_url", "original_published_on"]}),
        ("Review", {"fields": ["review_progress"]}),
        ("State", {"fields": ["status", "public_page", "created_by", "created_at", "updated_at"]}),
    ]
    inlines = [SectionInline]
    formfield_overrides = {TaggableManager: {"form_class": BoundedTagField}}
    actions = ["assign_claims_to_reviewer", publish_selected, unpublish_selected]
    change_list_template = "admin/essays/essay/change_list.html"

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("essays.publish_essay")

    @admin.display(description="public page")
    def public_page(self, obj: Essay) -> str:
        return public_state(obj)

    def get_urls(self):
        import_view = self.admin_site.admin_view(lambda request: essay_import_view(self, request))
        return [path("import/", import_view, name="essays_essay_import"), *super().get_urls()]

    @admin.display(description="claims by state")
    def review_progress(self, obj: Essay) -> str:
        if obj.pk is None:
            return "—"
        return render_to_string(
            "admin/essays/essay/review_progress.html", essay_review_summary(obj)
        )

    @admin.action(
        description="Assign open claims of selected essays to a reviewer…", permissions=["assign"]
    )
    def assign_claims_to_reviewer(self, request, queryset):
        claims = Claim.objects.filter(section__essay__in=queryset)
        return assign_claims(self, request, claims, what=f"{queryset.count()} essay(s)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_count=Count("sections", distinct=True),
                claim_count=Count("sections__claims", distinct=True),
            )
            .prefetch_related("tags")
            .order_by("-updated_at")  # Meta.ordering does not apply to GROUP BY queries
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="sections", ordering="section_count")
    def section_count(self, obj: Essay) -> int:
        return obj.section_count

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj: Essay) -> int:
        return obj.claim_count

    @admin.display(description="tags")
    def tag_list(self, obj: Essay) -> str:
        return ", ".join(tag.name for tag in obj.tags.all())


class QuotationInline(admin.TabularInline):
    model = Quotation
    extra = 0
    fields = [
        "text",
        "start",
        "end",
        "speaker",
        "speaker_description",
        "source",
        "outlet",
        "via",
        "emphasis_added",
        "is_scare_quote",
    ]
    autocomplete_fields = ["speaker", "source", "outlet", "via"]
    show_change_link = True


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    fields = ["exact", "start", "end", "short_statement", "status", "verdict", "assigned_to"]
    readonly_fields = ["status", "verdict"]
    show_change_link = True


@admin.register(Section)
class SectionAdmin(AssignClaimsMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "essay", "position", "heading"]
    list_select_related = ["essay"]
    list_filter = ["essay"]
    search_fields = ["heading", "body", "essay__title"]
    autocomplete_fields = ["essay"]
    inlines = [QuotationInline, ClaimInline]
    actions = ["assign_claims_to_reviewer"]

    @admin.action(
        description="Assign open claims of selected sections to a reviewer…", permissions=["assign"]
    )
    def assign_claims_to_reviewer(self, request, queryset):
        claims = Claim.objects.filter(section__in=queryset)
        return assign_claims(self, request, claims, what=f"{queryset.count()} section(s)")


@admin.register(Quotation)
class QuotationAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [QuotationResource]
    list_display = ["__str__", "speaker", "outlet", "essay", "emphasis_added", "is_scare_quote"]
    list_select_related = ["section__essay", "speaker", "outlet"]
    list_filter = ["emphasis_added", "is_scare_quote", "outlet__kind", "section__essay"]
    search_fields = ["text", "speaker__name", "outlet__name", "source__title"]
    autocomplete_fields = ["section", "speaker", "source", "outlet", "via", "repeat_of"]

    @admin.display(description="essay", ordering="section__essay__title")
    def essay(self, obj: Quotation) -> Essay:
        return obj.section.essay


class ReviewerNoteInline(admin.StackedInline):
    model = ReviewerNote
    fk_name = "claim"
    extra = 0
    fields = ["body", "parent", "resolved", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    verbose_name = "internal note (never public)"
    verbose_name_plural = "internal notes (never public)"


class CounterEvidenceInline(admin.StackedInline):
    model = CounterEvidence
    extra = 0
    fields = ["position", "stance", "source", "summary", "approved"]
    readonly_fields = ["approved"]
    autocomplete_fields = ["source"]
    ordering = ["position", "pk"]
    verbose_name = "counter-evidence (public once approved)"
    verbose_name_plural = "counter-evidence (public once approved)"


@admin.register(Claim)
class ClaimAdmin(SpreadsheetAdminMixin, AssignClaimsMixin, SimpleHistoryAdmin):
    resource_classes = [ClaimResource]
    form = ClaimForm
    change_form_template = "admin/essays/claim/change_form.html"
    list_display = ["__str__", "essay", "status", "verdict", "assigned_to", "updated_at"]
    list_select_related = ["section__essay", "assigned_to"]
    list_filter = ["status", "verdict", "anchor_lost", "assigned_to", "section__essay"]
    search_fields = ["exact", "statement", "short_statement", "section__essay__title"]
    autocomplete_fields = ["section"]
    readonly_fields = ["status", "verdict", "version", "anchor_lost", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["section", "exact", "start", "end", "prefix", "suffix", "anchor_lost"]},
        ),
        ("Statement", {"fields": ["statement", "short_statement", "check_worthiness"]}),
        (
            "Fact-check",
            {
                "fields": [
                    "status",
                    "verdict",
                    "verdict_summary",
                    "assigned_to",
                    "version",
                    "expected_version",
                ]
            },
        ),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [ReviewerNoteInline, CounterEvidenceInline]
    actions = ["assign_to_reviewer"]

    def get_urls(self):
        transition = self.admin_site.admin_view(
            lambda request, object_id: claim_transition_view(self, request, object_id)
        )
        return [
            path("<path:object_id>/transition/", transition, name="essays_claim_transition"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Assignment is a workflow move (with an audit row), not a form field.
            fields.append("assigned_to")
        return fields

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
                extra_context.update(claim_workflow_context(claim, request.user))
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictError as conflict:
            # A save raced another one after the form's own version check: nothing was written.
            messages.error(request, str(conflict))
            return HttpResponseRedirect(request.path)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        edited = [name for name in form.changed_data if name in CLAIM_EDITABLE_FIELDS]
        if edited:
            services.claim_update(
                claim=obj,
                actor=request.user,
                expected_version=form.cleaned_data.get("expected_version") or obj.version,
                data={name: form.cleaned_data[name] for name in edited},
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


@admin.register(ClaimCandidate)
class ClaimCandidateAdmin(admin.ModelAdmin):
    """Sentences the importer proposed; editors accept them as claims or reject them."""

    list_display = ["__str__", "score", "decision", "essay", "section_heading", "decided_by"]
    list_select_related = ["section__essay", "decided_by", "claim"]
    list_filter = ["decision", "section__essay"]
    search_fields = ["text", "section__essay__title"]
    ordering = ["-score", "section__essay", "section__position", "start"]
    fields = [
        "section",
        "text",
        "start",
        "end",
        "score",
        "features",
        "decision",
        "decided_by",
        "decided_at",
        "claim",
    ]
    readonly_fields = fields
    actions = ["accept_as_claims", "reject"]

    def has_add_permission(self, request):
        return False  # candidates come from imports only

    def has_change_permission(self, request, obj=None):
        return False  # decisions are made with the actions, through the services

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("essays.decide_claimcandidate")

    @admin.display(description="essay", ordering="section__essay__title")
    def essay(self, obj: ClaimCandidate) -> Essay:
        return obj.section.essay

    @admin.display(description="section", ordering="section__position")
    def section_heading(self, obj: ClaimCandidate) -> str:
        return obj.section.heading or "Introduction"

    @admin.action(description="Accept as claims", permissions=["decide"])
    def accept_as_claims(self, request, queryset):
        self._decide(
            request, queryset, claim_candidate_accept, "Accepted {} candidate(s) as claims."
        )

    @admin.action(description="Reject", permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(request, queryset, claim_candidate_reject, "Rejected {} candidate(s).")

    def _decide(self, request, queryset, service, done: str) -> None:
        count = 0
        for candidate in queryset.select_related("section"):
            try:
                service(candidate=candidate, actor=request.user)
            except (ValidationError, PermissionDenied) as refused:
                reason = " ".join(getattr(refused, "messages", [str(refused)]))
                self.message_user(request, f"“{candidate}”: {reason}", messages.WARNING)
            else:
                count += 1
        self.message_user(request, done.format(count))


admin.site.unregister(Tag)


@admin.register(Tag)
class GuardedTagAdmin(TagAdmin):
    """django-taggit's tag admin, with its merge page limited to those who may change tags.

    taggit's own merge page checks no permission: any staff user, a reviewer included,
    could open it and create or merge the tags readers browse by; and a POST without a
    selection made in the tag list crashed with a 500.
    """

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if not request.session.get("selected_tag_ids"):
            self.message_user(
                request, "Select the tags to merge in the tag list first.", messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:taggit_tag_changelist"))
        return super().merge_tags_view(request)
