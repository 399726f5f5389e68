from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import ngettext
from taggit.managers import TaggableManager

from common.admin_filters import TagFilter, titled
from search.admin import IndexedSearch
from sources.fetching import FetchError
from sources.forms import BoundedTagField, OutletForm, PersonForm, SourceDocumentUploadForm
from sources.models import Outlet, Person, Source, SourceDocument
from sources.resources import OutletResource, PersonResource, SourceResource
from sources.services import merge_into, source_document_attach, source_document_fetch
from spreadsheets.admin import SpreadsheetAdminMixin


class MergeMixin:
    """An action that merges the selected rows into the one the user keeps (services.
    merge_into): a confirmation page names every row and how often each is referred to."""

    actions = ["merge_selected"]

    @admin.action(
        description="Merge the selected into one (the others become its aliases)",
        permissions=["change", "delete"],
    )
    def merge_selected(self, request, queryset):
        opts = self.model._meta
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        rows = list(queryset.order_by("pk"))
        if len(rows) < 2:
            self.message_user(request, "Select at least two to merge.", messages.WARNING)
            return None
        if request.POST.get("keep"):
            keep = next((row for row in rows if str(row.pk) == request.POST["keep"]), None)
            if keep is None:
                self.message_user(request, "Choose one of the selected to keep.", messages.ERROR)
                return None
            moved = merge_into(keep=keep, others=rows, actor=request.user)
            self.message_user(
                request,
                ngettext(
                    "Merged %(n)d into “%(keep)s”; %(moved)d reference moved.",
                    "Merged %(n)d into “%(keep)s”; %(moved)d references moved.",
                    moved,
                )
                % {"n": len(rows) - 1, "keep": keep, "moved": moved},
            )
            return None
        return TemplateResponse(
            request,
            "admin/sources/merge_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": opts,
                "title": f"Merge {opts.verbose_name_plural}",
                "rows": rows,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Outlet)
class OutletAdmin(IndexedSearch, MergeMixin, SpreadsheetAdminMixin, admin.ModelAdmin):
    search_kind = "outlet"
    resource_classes = [OutletResource]
    form = OutletForm
    list_display = ["name", "kind", "country", "alias_list", "source_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases"]
    fields = ["name", "aliases", "kind", "country", "homepage", "domains"]

    def get_queryset(self, request):
        # Meta.ordering does not apply to GROUP BY queries; pagination needs an order.
        return (
            super().get_queryset(request).annotate(source_count=Count("sources")).order_by("name")
        )

    @admin.display(description="aliases")
    def alias_list(self, obj: Outlet) -> str:
        return ", ".join(obj.aliases)

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, obj: Outlet) -> int:
        return obj.source_count


@admin.register(Person)
class PersonAdmin(IndexedSearch, MergeMixin, SpreadsheetAdminMixin, admin.ModelAdmin):
    search_kind = "person"
    resource_classes = [PersonResource]
    form = PersonForm
    list_display = ["name", "affiliation", "alias_list", "quotation_count"]
    search_fields = ["name", "aliases", "affiliation"]
    fields = ["name", "aliases", "affiliation", "description"]

    def get_queryset(self, request):
        # Meta.ordering does not apply to GROUP BY queries; pagination needs an order.
        return (
            super()
            .get_queryset(request)
            .annotate(quotation_count=Count("quotations"))
            .order_by("name")
        )

    @admin.display(description="aliases")
    def alias_list(self, obj: Person) -> str:
        return ", ".join(obj.aliases)

    @admin.display(description="quotations", ordering="quotation_count")
    def quotation_count(self, obj: Person) -> int:
        return obj.quotation_count


@admin.register(Source)
class SourceAdmin(IndexedSearch, SpreadsheetAdminMixin, admin.ModelAdmin):
    search_kind = "source"
    resource_classes = [SourceResource]
    list_display = ["title", "outlet", "kind", "published_on", "tag_list"]
    list_filter = [
        ("kind", titled("source kind")),
        ("outlet__kind", titled("outlet kind")),
        ("tags", TagFilter),
    ]
    list_select_related = ["outlet"]
    search_fields = ["title", "url", "outlet__name", "authors__name"]
    autocomplete_fields = ["outlet", "authors"]
    date_hierarchy = "published_on"
    formfield_overrides = {TaggableManager: {"form_class": BoundedTagField}}
    fieldsets = [
        (None, {"fields": ["title", "outlet", "authors", "kind", "published_on", "tags"]}),
        ("Where to find it", {"fields": ["url", "archived_url"]}),
        ("Internal", {"fields": ["notes"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description="tags")
    def tag_list(self, obj: Source) -> str:
        return ", ".join(tag.name for tag in obj.tags.all())


# --- Source documents: captured copies of a source, uploaded or fetched ---------------------
# Kept apart from SourceAdmin above, as a subclass registered in its place, so the change
# can be folded in later without touching the lines above.


class SourceDocumentInline(admin.TabularInline):
    model = SourceDocument
    fields = readonly_fields = [
        "captured_at",
        "is_current",
        "content_type",
        "byte_size",
        "extraction_method",
        "filename",
        "fetched_from",
        "sha256",
        "captured_by",
    ]
    extra = 0
    can_delete = False
    verbose_name_plural = "captured documents"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SourceWithDocumentsAdmin(SourceAdmin):
    form = SourceDocumentUploadForm
    inlines = [*SourceAdmin.inlines, SourceDocumentInline]
    actions = [*SourceAdmin.actions, "fetch_documents"]
    fieldsets = [*SourceAdmin.fieldsets, ("Document", {"fields": ["document"]})]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        upload = form.cleaned_data.get("document")
        if not upload:
            return
        try:
            source_document_attach(
                source=form.instance,
                data=upload.read(),
                content_type=upload.content_type,
                filename=upload.name,
                actor=request.user,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"Attached “{upload.name}” as the source's document.")

    def has_fetch_permission(self, request) -> bool:
        return request.user.has_perm("sources.add_sourcedocument")

    @admin.action(description="Fetch the document from its URL", permissions=["fetch"])
    def fetch_documents(self, request, queryset):
        fetched = 0
        for source in queryset:
            try:
                source_document_fetch(source=source, actor=request.user)
            except (FetchError, ValidationError, PermissionDenied) as error:
                reason = "; ".join(getattr(error, "messages", None) or [str(error)])
                messages.error(request, f"{source.title}: {reason}")
            else:
                fetched += 1
        if fetched:
            messages.success(
                request,
                ngettext("Fetched %d document.", "Fetched %d documents.", fetched) % fetched,
            )


admin.site.unregister(Source)
admin.site.register(Source, SourceWithDocumentsAdmin)
