import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# A local HTTP server fixture; the conftest of each folder whose tests fetch imports it.


class Handler(BaseHTTPRequestHandler):
    """Routes: /ok, /big, /slow, /status/NNN, /redirect?to=URL, /loop."""

    routes: dict = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        route = self.server.routes.get(self.path.split("?")[0])
        if route is None and self.path.startswith("/status/"):
            code = int(self.path.rsplit("/", 1)[1])
            route = (code, {}, b"status page")
        if route is None:
            route = (404, {}, b"not found")
        status, headers, body = route(self) if callable(route) else route
        if status == "slow":
            time.sleep(2)
            status = 200
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.bodies.append(self.rfile.read(length))
        self.do_GET()


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # The fetcher hangs up on purpose (size and time limits); that is not a server error.
        pass


@pytest.fixture
def http_server():
    """A local HTTP server on 127.0.0.1; set `server.routes[path] = (status, headers, body)`."""
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.routes, server.requests, server.bodies = {}, [], []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
