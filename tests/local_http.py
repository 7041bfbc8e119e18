import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

# Local HTTP server fixtures; the conftest of each folder whose tests fetch imports them.

TRICKLE_EVERY = 0.3  # seconds between the header lines of trickling_server


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


@contextmanager
def _serving():
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.routes, server.requests, server.bodies = {}, [], []
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_server():
    """A local HTTP server on 127.0.0.1; set `server.routes[path] = (status, headers, body)`."""
    with _serving() as server:
        yield server


@pytest.fixture
def other_http_server():
    """A second local server, on another port: another origin to redirect to."""
    with _serving() as server:
        yield server


@pytest.fixture
def trickling_server():
    """A server that answers any request with one header line every TRICKLE_EVERY seconds, for
    as long as the client listens: each line comes well inside a socket timeout, the whole
    answer never does. `server.url` is its address."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def trickle(connection):
        with connection:
            connection.recv(65536)  # the request line and headers; the rest is not needed
            waits = [b"X-Wait: %d\r\n" % n for n in range(40)]  # 12 s; http.client takes 100
            lines = [b"HTTP/1.1 200 OK\r\n", *waits, b"Content-Length: 0\r\n\r\n"]
            for line in lines:
                if stop.is_set():
                    return
                try:
                    connection.sendall(line)
                except OSError:
                    return  # the client hung up: what a deadline is for
                time.sleep(TRICKLE_EVERY)

    def serve():
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=trickle, args=(connection,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{listener.getsockname()[1]}")
    stop.set()
    listener.close()
