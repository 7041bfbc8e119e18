from pathlib import Path

import pytest

from tests.local_http import http_server, other_http_server, trickling_server  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str, **replacements) -> bytes:
    """A fixture file, with {{name}} placeholders (a local server's address) filled in."""
    text = (FIXTURES / name).read_text()
    for key, value in replacements.items():
        text = text.replace("{{" + key + "}}", value)
    return text.encode()


@pytest.fixture(autouse=True)
def _harvest_from_loopback(settings, tmp_path):
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    settings.FACTDESK_HARVEST_TIMEOUT = 2
    # Each test's fact-check vector index starts with no snapshot (an exact scan).
    settings.FACTDESK_VECTOR_INDEX_DIR = tmp_path / "vectors"
    from factchecks import embeddings

    embeddings._index = None
    yield
    embeddings._index = None
