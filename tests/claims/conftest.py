from tests.local_http import http_server  # noqa: F401
from tests.rebinding import rebinding_dns  # noqa: F401
