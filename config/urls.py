from django.contrib import admin
from django.urls import include, path

from config import admin_fixes  # noqa: F401 (patches a third-party admin action)
from publishing.api import api
from search.admin import staff_search_view

admin.site.site_header = "Counterpoint"
admin.site.site_title = "Counterpoint"
admin.site.index_title = "Essays, sources and fact-checks"

urlpatterns = [
    path("admin/search/", admin.site.admin_view(staff_search_view), name="staff-search"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("publishing.urls")),
]
