from tests.local_http import http_server, other_http_server, trickling_server  # noqa: F401
from tests.rebinding import rebinding_dns  # noqa: F401
