from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from review.models import CounterEvidence, ReviewerNote, StatusChange
from review.resources import CounterEvidenceResource
from spreadsheets.admin import SpreadsheetAdminMixin


@admin.register(ReviewerNote)
class ReviewerNoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "claim", "author", "resolved", "created_at"]
    list_select_related = ["claim", "author"]
    list_filter = ["resolved", "author"]
    search_fields = ["body", "claim__exact"]
    autocomplete_fields = ["claim", "parent"]
    readonly_fields = ["author", "resolved_by", "resolved_at", "created_at"]

    def save_model(self, request, obj, form, change):
        if not obj.author_id:
            obj.author = request.user
        super().save_model(request, obj, form, change)


@admin.register(CounterEvidence)
class CounterEvidenceAdmin(SpreadsheetAdminMixin, SimpleHistoryAdmin):
    resource_classes = [CounterEvidenceResource]
    list_display = ["__str__", "claim", "stance", "approved", "updated_at"]
    list_select_related = ["claim", "source"]
    list_filter = ["approved", "stance", "source__outlet"]
    search_fields = ["summary", "source__title", "claim__exact"]
    autocomplete_fields = ["claim", "source"]
    readonly_fields = ["approved", "approved_by", "approved_at", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The audit trail: readable by every role, writable by no one."""

    list_display = ["claim", "from_status", "to_status", "to_verdict", "actor", "created_at"]
    list_select_related = ["claim", "actor"]
    list_filter = ["to_status", "to_verdict", "actor"]
    search_fields = ["claim__exact", "comment"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
