import pytest

from factchecks.models import ExternalFactCheck
from tests.factories import ArticleFactory, make_published_claim

DEBT_IT = "Il debito pubblico italiano ha superato i 2.800 miliardi di euro"
VACCINE_EN = "The measles vaccine causes autism in young children"


@pytest.fixture(autouse=True)
def _fresh_fact_check_index(settings, tmp_path):
    # Each test's fact-check vector index starts with no snapshot (an exact scan).
    settings.FACTDESK_VECTOR_INDEX_DIR = tmp_path / "vectors"
    from factchecks import embeddings

    embeddings._index = None
    yield
    embeddings._index = None


@pytest.fixture
def published_debt(db, fact_checker, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_published_claim(
            checker=fact_checker,
            editor=editor,
            article=ArticleFactory(text=f"Ieri in tv: {DEBT_IT}.", language="it"),
            quote=DEBT_IT,
            claim_reviewed=DEBT_IT,
        )


@pytest.fixture
def their_vaccine_check(db):
    """Another organisation's check, harvested and embedded."""
    from factchecks.embeddings import fact_checks_embed

    check = ExternalFactCheck.objects.create(
        review_url="https://checkers.example/measles-autism",
        normalized_url="https://checkers.example/measles-autism",
        claim_reviewed=VACCINE_EN,
        rating_text="Pants on Fire",
        organization_name="Checkers Example",
        language="en",
    )
    fact_checks_embed([check])
    return check
