from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from essays.models import Claim, Essay, Quotation, Section
from essays.resources import ClaimResource, QuotationResource
from review.models import CounterEvidence, ReviewerNote
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
class EssayAdmin(SimpleHistoryAdmin):
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
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "byline", "dek", "tags", "language"]}),
        ("Origin", {"fields": ["canonical_url", "original_published_on"]}),
        ("State", {"fields": ["status", "created_by", "created_at", "updated_at"]}),
    ]
    inlines = [SectionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_count=Count("sections", distinct=True),
                claim_count=Count("sections__claims", distinct=True),
            )
            .prefetch_related("tags")
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
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "essay", "position", "heading"]
    list_select_related = ["essay"]
    list_filter = ["essay"]
    search_fields = ["heading", "body", "essay__title"]
    autocomplete_fields = ["essay"]
    inlines = [QuotationInline, ClaimInline]


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


class CounterEvidenceInline(admin.StackedInline):
    model = CounterEvidence
    extra = 0
    fields = ["position", "stance", "source", "summary", "approved"]
    readonly_fields = ["approved"]
    autocomplete_fields = ["source"]
    ordering = ["position", "pk"]


@admin.register(Claim)
class ClaimAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [ClaimResource]
    list_display = ["__str__", "essay", "status", "verdict", "assigned_to", "updated_at"]
    list_select_related = ["section__essay", "assigned_to"]
    list_filter = ["status", "verdict", "assigned_to", "section__essay"]
    search_fields = ["exact", "statement", "short_statement", "section__essay__title"]
    autocomplete_fields = ["section"]
    readonly_fields = ["status", "verdict", "version", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["section", "exact", "start", "end", "prefix", "suffix"]}),
        ("Statement", {"fields": ["statement", "short_statement", "check_worthiness"]}),
        (
            "Fact-check",
            {"fields": ["status", "verdict", "verdict_summary", "assigned_to", "version"]},
        ),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [ReviewerNoteInline, CounterEvidenceInline]

    @admin.display(description="essay", ordering="section__essay__title")
    def essay(self, obj: Claim) -> Essay:
        return obj.section.essay

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ReviewerNote) and not instance.author_id:
                instance.author = request.user
            if isinstance(instance, CounterEvidence) and not instance.created_by_id:
                instance.created_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
