from django.contrib.sitemaps.views import sitemap
from django.urls import path

from publishing import views
from publishing.caching import public_page
from publishing.feeds import LatestEssaysAtom, LatestEssaysRss
from publishing.sitemaps import SITEMAPS

app_name = "public"


def _cached(key: str, view):
    """Serve a whole-site view (feed, sitemap) as a public page: validated, cacheable."""

    def wrapped(request, *args, **kwargs):
        return public_page(request, key, lambda: view(request, *args, **kwargs))

    return wrapped


urlpatterns = [
    path("", views.home, name="home"),
    path("essays/<str:slug>/", views.article, name="article"),
    path("essays/<str:slug>/claims/<int:claim_id>/", views.claim, name="claim"),
    path("essays/<str:slug>/sources/", views.bibliography, name="bibliography"),
    path("tags/<str:slug>/", views.tag, name="tag"),
    path("search/", views.search, name="search"),
    path("feed/", _cached("feed:atom", LatestEssaysAtom()), name="feed"),
    path("feed/rss/", _cached("feed:rss", LatestEssaysRss()), name="feed-rss"),
    path(
        "sitemap.xml",
        _cached("sitemap", lambda request: sitemap(request, sitemaps=SITEMAPS)),
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("how-we-rate-claims/", views.ratings, name="ratings"),
    path("corrections-policy/", views.corrections_policy, name="corrections-policy"),
    path("preview/essays/<str:slug>/", views.preview, name="preview"),
]
