"""One log line per request, carrying a request id that also goes back to the client."""

import json
import logging

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib.logs import JsonFormatter, RequestIdFilter


def test_each_response_carries_a_fresh_request_id(client, db):
    first = client.get("/en/")["X-Request-ID"]
    second = client.get("/en/")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxys_request_id_is_kept(client, db):
    response = client.get("/en/", HTTP_X_REQUEST_ID="a1b2c3d4e5f6a7b8")
    assert response["X-Request-ID"] == "a1b2c3d4e5f6a7b8"


def test_a_malformed_request_id_is_replaced(client, db):
    response = client.get("/en/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert "<" not in response["X-Request-ID"] and len(response["X-Request-ID"]) == 32


def test_one_line_is_logged_per_request_with_its_id(client, db, caplog):
    caplog.set_level(logging.INFO, logger="factdesk.request")
    client.get("/en/claims/no-such-claim/")
    lines = [r for r in caplog.records if r.name == "factdesk.request"]
    assert len(lines) == 1
    record = lines[0]
    assert record.status == 404 and record.method == "GET"
    assert record.path == "/en/claims/no-such-claim/"
    assert record.duration_ms >= 0
    assert RequestIdFilter().filter(record) and record.request_id == "-"  # outside the request


def test_the_log_line_names_the_staff_member_and_costs_readers_no_query(client, editor, caplog):
    caplog.set_level(logging.INFO, logger="factdesk.request")
    client.force_login(editor)
    client.get("/admin/")
    client.logout()
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/")
    assert not [q for q in queries if "auth_user" in q["sql"] or "django_session" in q["sql"]]
    lines = [r for r in caplog.records if r.name == "factdesk.request"]
    assert [r.user_id for r in lines] == [editor.pk, None]


def test_log_lines_inside_a_request_carry_its_id(client, db, caplog, monkeypatch):
    seen = []

    class Capture(logging.Handler):
        def emit(self, record):
            seen.append(record)

    handler = Capture()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("factdesk.request")
    logger.addHandler(handler)
    try:
        response = client.get("/en/", HTTP_X_REQUEST_ID="req-0123456789")
    finally:
        logger.removeHandler(handler)
    assert response.status_code == 200
    assert [r.request_id for r in seen] == ["req-0123456789"]


def test_json_format_is_one_object_per_line_with_the_request_fields():
    record = logging.makeLogRecord(
        {
            "name": "factdesk.request",
            "levelname": "INFO",
            "msg": "%s %s %s",
            "args": ("GET", "/en/", 200),
            "status": 200,
            "duration_ms": 3.2,
        }
    )
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /en/ 200"
    assert entry["status"] == 200 and entry["duration_ms"] == 3.2
    assert entry["level"] == "INFO" and entry["request_id"] == "-"
