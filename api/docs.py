"""The API's documentation pages, /api/v1/docs/ (Swagger UI) and /api/v1/redoc/ (ReDoc), under
the site's own Content-Security-Policy.

drf-spectacular's stock pages write their start-up script and styles inline and ReDoc's asks
Google Fonts, all of which the CSP rightly blocks (a blank page, "Something went wrong"). Here:
the assets come from drf-spectacular-sidecar (SPECTACULAR_SETTINGS *_DIST = "SIDECAR"), page
styles from a static file, Swagger UI's start-up script is a second same-origin request (the
"split" view, so that page keeps the site's policy unchanged), and ReDoc's one-line start-up
script carries the request's CSP nonce. No font is fetched from anywhere.
"""

from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


class RedocDocsView(SpectacularRedocView):
    template_name = "api/redoc.html"


def swagger_view():
    return SwaggerDocsView.as_view(url_name="api:schema")


def redoc_view():
    """ReDoc under this page's own, slightly wider policy:
    - script-src gains the nonce of its one-line start-up script;
    - style-src gains 'unsafe-inline': the bundle injects <style> elements as it loads, before
      any nonce can be handed to it, and its components set style attributes. Styles cannot
      run code, and this page shows only our own schema;
    - worker-src 'self' blob:, for ReDoc's search, which runs in a worker built from a blob.
    Its "powered by" logo on cdn.redoc.ly stays blocked by img-src: nothing leaves the site.
    """
    return csp_update(
        {"script-src": [NONCE], "style-src": ["'unsafe-inline'"], "worker-src": [SELF, "blob:"]}
    )(RedocDocsView.as_view(url_name="api:schema"))
