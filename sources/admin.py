from django.contrib import admin
from django.db.models import Count
from taggit.managers import TaggableManager

from sources.forms import BoundedTagField, OutletForm, PersonForm
from sources.models import Outlet, Person, Source
from sources.resources import OutletResource, PersonResource, SourceResource
from spreadsheets.admin import SpreadsheetAdminMixin


@admin.register(Outlet)
class OutletAdmin(SpreadsheetAdminMixin, admin.ModelAdmin):
    resource_classes = [OutletResource]
    form = OutletForm
    list_display = ["name", "kind", "country", "alias_list", "source_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases"]
    fields = ["name", "aliases", "kind", "country", "homepage"]

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
class PersonAdmin(SpreadsheetAdminMixin, admin.ModelAdmin):
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
class SourceAdmin(SpreadsheetAdminMixin, admin.ModelAdmin):
    resource_classes = [SourceResource]
    list_display = ["title", "outlet", "kind", "published_on", "tag_list"]
    list_filter = ["kind", "outlet__kind", "tags"]
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
