from tests.local_http import http_server, trickling_server  # noqa: F401
