from pathlib import Path

import pytest

from tests.factories import ArticleFactory, make_published_claim
from tests.local_http import http_server, other_http_server  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures"
# A published check the monitored media repeat, reworded, in the tests.
DEBT_IT = "Il debito pubblico italiano ha superato i 2.800 miliardi di euro"


def fixture_bytes(name: str, **replacements) -> bytes:
    """A fixture file, with {{name}} placeholders (a local server's address) filled in."""
    text = (FIXTURES / name).read_text()
    for key, value in replacements.items():
        text = text.replace("{{" + key + "}}", value)
    return text.encode()


@pytest.fixture(autouse=True)
def _monitor_from_loopback(settings, tmp_path):
    settings.FACTDESK_FETCH_ALLOW_LOOPBACK = True
    settings.FACTDESK_MONITOR_TIMEOUT = 2
    settings.FACTDESK_VECTOR_INDEX_DIR = tmp_path / "vectors"


@pytest.fixture
def published_debt(db, fact_checker, editor, django_capture_on_commit_callbacks):
    """A published check, embedded (so that matching by meaning finds it)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_published_claim(
            checker=fact_checker,
            editor=editor,
            article=ArticleFactory(text=f"Ieri in tv: {DEBT_IT}.", language="it"),
            quote=DEBT_IT,
            claim_reviewed=DEBT_IT,
        )
