import pytest
from django.db import connection

from claims.models import Article, Claim
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ARTICLE = {"title": "Budget", "text": "The deficit fell to 3%.", "language": "en"}


def test_a_retried_post_creates_once_and_returns_the_same_response(checker_client):
    first = checker_client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="abc-1")
    second = checker_client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert second["Location"] == first["Location"]
    assert Article.objects.count() == 1


def test_a_new_key_creates_a_new_object(checker_client):
    checker_client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="k1")
    checker_client.post(
        "/api/v1/articles/", {**ARTICLE, "title": "Other"}, HTTP_IDEMPOTENCY_KEY="k2"
    )
    assert Article.objects.count() == 2


def test_reusing_a_key_for_a_different_request_is_refused(checker_client):
    checker_client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="k1")
    response = checker_client.post(
        "/api/v1/articles/", {**ARTICLE, "title": "Changed"}, HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Article.objects.count() == 1


def test_keys_belong_to_one_caller(checker_client, editor_client):
    checker_client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="same")
    other = editor_client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="same")
    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert Article.objects.count() == 2


def test_an_error_is_not_stored_so_a_corrected_retry_runs(checker_client):
    article = ArticleFactory()
    bad = {"article": article.pk, "quote": "absent", "claim_reviewed": "x"}
    assert checker_client.post("/api/v1/claims/", bad, HTTP_IDEMPOTENCY_KEY="c1").status_code == 400
    assert checker_client.post("/api/v1/claims/", bad, HTTP_IDEMPOTENCY_KEY="c1").status_code == 400
    assert not Claim.objects.exists()


def test_transitions_are_idempotent_too(checker_client, draft):
    url = f"/api/v1/claims/{draft.pk}/start-research/"
    first = checker_client.post(url, HTTP_IDEMPOTENCY_KEY="t1")
    second = checker_client.post(url, HTTP_IDEMPOTENCY_KEY="t1")
    assert first.status_code == second.status_code == 200
    assert draft.events.filter(kind="research_started").count() == 1


def test_an_overlong_key_is_a_400(checker_client):
    response = checker_client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_old_keys_are_pruned_and_then_run_again(checker_client):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from api.models import IdempotencyRecord

    checker_client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    call_command("idempotency_prune")
    assert not IdempotencyRecord.objects.exists()
    again = checker_client.post(
        "/api/v1/articles/", {**ARTICLE, "title": "Budget 2"}, HTTP_IDEMPOTENCY_KEY="old"
    )
    assert again.status_code == 201


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_retries_create_one_object(fact_checker, monkeypatch):
    """The second request waits on the first one's key, then replays its answer."""
    import threading
    import time

    from claims import services
    from tests.api.conftest import key_client

    real_create = services.article_create

    def slow_create(**kwargs):
        time.sleep(0.3)  # hold the key while the retry arrives
        return real_create(**kwargs)

    monkeypatch.setattr(services, "article_create", slow_create)
    client = key_client(fact_checker)
    start, responses = threading.Barrier(2), []

    def send():
        start.wait()
        try:
            responses.append(client.post("/api/v1/articles/", ARTICLE, HTTP_IDEMPOTENCY_KEY="race"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert [r.has_header("Idempotent-Replayed") for r in responses].count(True) == 1
    assert Article.objects.count() == 1
