from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Before any other api/v1/ include, so the claims router does not take "similar" for an id.
    path("api/v1/claims/similar/", include("claims.api.similar_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Public pages carry their language in the URL (/en/..., /it/...), so a shared link shows
# the reader the same language the sharer saw.
urlpatterns += i18n_patterns(
    path("", include("claims.urls")),
    path("", include("sources.urls")),
    prefix_default_language=True,
)
