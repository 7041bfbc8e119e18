from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from claims import embed, site_pages
from claims import views as claim_views
from claims.api.similar_urls import checked_before_urlpatterns
from claims.caching import cached_page
from claims.sitemaps import SITEMAPS

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    # Before any other api/v1/ include, so the claims router does not take "similar" for an id.
    path("api/v1/claims/similar/", include("claims.api.similar_urls")),
    path("api/v1/claims/checked-before/", include(checked_before_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Machine-read and language-neutral: no language prefix.
    path("robots.txt", site_pages.robots_txt, name="robots_txt"),
    path("sitemap.xml", cached_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("oembed/", claim_views.oembed, name="oembed"),
    path("feeds/claimreview.json", claim_views.claimreview_feed, name="claimreview_feed"),
    path("verdicts.css", claim_views.verdict_styles, name="verdict_styles"),
    # The publisher embed (claims/embed.py): a stable script address and its data.
    path("embed/v1/factdesk.js", embed.script, name="embed_script"),
    path("embed/v1/articles/<slug:slug>/checks.json", embed.checks, name="embed_checks"),
    path("embed/demo/<slug:slug>/", embed.demo, name="embed_demo"),
    # The API is not translated into the URL: integrations call one address.
    path("api/v1/", include("factdesk.api_urls")),
]

# Public pages carry their language in the URL (/en/..., /it/...), so a shared link shows
# the reader the same language the sharer saw.
urlpatterns += i18n_patterns(
    path("tips/", include("tips.urls")),
    path("", include("claims.urls")),
    prefix_default_language=True,
)

# Friendly, database-free error page; a database outage answers 503 (lib.middleware).
handler500 = "lib.middleware.server_error"
handler404 = "lib.middleware.page_not_found"
