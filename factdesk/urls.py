from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Public pages carry their language in the URL (/en/..., /it/...), so a shared link shows
# the reader the same language the sharer saw.
urlpatterns += i18n_patterns(
    path("", include("claims.urls")),
    path("", include("sources.urls")),
    prefix_default_language=True,
)

# Friendly, database-free error page; a database outage answers 503 (factdesk.middleware).
handler500 = "factdesk.middleware.server_error"
