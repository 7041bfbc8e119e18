from tests.local_http import http_server  # noqa: F401
