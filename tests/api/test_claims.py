import pytest
from django.utils import timezone

from claims import services
from claims.models import Claim, ClaimEvent
from tests.factories import ARTICLE_TEXT, ArticleFactory, SourceFactory, make_claim, verdict

pytestmark = pytest.mark.django_db


def test_claim_list_is_newest_first_with_nested_evidence(client_anon, published):
    body = client_anon.get("/api/v1/claims/").json()
    [claim] = body["results"]
    assert claim["verdict"] == "false"
    assert claim["evidence"][0]["stance"] == "refutes"
    assert claim["evidence"][0]["source"]["outlet"]["domain"].endswith(".example")
    assert claim["anchor"]["start"] == ARTICLE_TEXT.index("unemployment fell")


def test_claim_list_of_100_makes_a_constant_number_of_queries(
    checker_client, client_anon, fact_checker, editor, django_assert_num_queries
):
    article = ArticleFactory()
    source = SourceFactory()
    for n in range(100):
        claim = make_claim(
            article=article,
            quote="unemployment fell",
            anchor_start=18,
            claim_reviewed=f"Claim {n}",
            assignee=fact_checker,
        )
        services.evidence_add(claim=claim, source=source, stance="refutes", added_by=editor)
    # 1 API key by prefix (with its user), 1 the user's own permissions, 1 their groups'
    # permissions, 1 claims page (verdict and the five people joined), 1 topics,
    # 1 evidence (with source, outlet and added_by joined), 1 corrections (with verdicts).
    with django_assert_num_queries(7):
        response = checker_client.get("/api/v1/claims/?page_size=100")
    assert len(response.json()["results"]) == 100

    Claim.objects.update(status="published", published_at=timezone.now())
    # Anonymous: 1 claims page, 1 topics, 1 evidence, 1 corrections.
    with django_assert_num_queries(4):
        response = client_anon.get("/api/v1/claims/?page_size=100")
    assert len(response.json()["results"]) == 100
    assert len(response.json()["results"][0]["evidence"]) == 1


def test_page_size_is_capped_at_100(checker_client):
    article = ArticleFactory()
    Claim.objects.bulk_create(
        Claim(claim_reviewed=f"c{n}", quote="q", language="en", slug=f"c-{n}", article=article)
        for n in range(105)
    )
    body = checker_client.get("/api/v1/claims/?page_size=500").json()
    assert len(body["results"]) == 100
    assert body["next"]
    rest = checker_client.get(body["next"]).json()
    assert len(rest["results"]) == 5


def test_claims_filter_by_status_verdict_language_and_search(checker_client, published, draft):
    def ids(query):
        return [c["id"] for c in checker_client.get(f"/api/v1/claims/?{query}").json()["results"]]

    assert ids("status=new") == [draft.pk]
    assert ids("verdict=false") == [published.pk]
    assert ids("language=it") == []
    assert ids("search=exports") == [draft.pk]
    assert ids(f"article={published.article_id}") == [published.pk]
    assert ids("assignee=checker") == [draft.pk, published.pk]
    assert ids("ordering=created_at") == [published.pk, draft.pk]
    assert ids("published_after=2000-01-01T00:00:00Z") == [published.pk]


def test_a_date_with_any_rfc3339_utc_offset_is_compared_in_utc(checker_client, published):
    # RFC 3339 (the schema's date-time) allows offsets up to ±23:59; PostgreSQL refuses those
    # past ±15:59, so the filter turns the value into UTC first.
    def ids(query):
        response = checker_client.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, response.json()
        return [c["id"] for c in response.json()["results"]]

    assert ids("published_before=0109-04-27T10:26:58-21:13") == []
    assert ids("published_after=0001-01-01T00:00:00%2B23:59") == [published.pk]
    assert ids("published_before=9999-12-31T23:59:59-23:59") == [published.pk]


def test_bad_filter_value_is_a_400_with_the_field(checker_client):
    response = checker_client.get("/api/v1/claims/?status=sideways")
    assert response.status_code == 400
    assert "status" in response.json()["errors"]


def test_create_claim_from_a_quote_anchors_it_in_the_article(checker_client, fact_checker):
    article = ArticleFactory()
    response = checker_client.post(
        "/api/v1/claims/",
        {
            "article": article.pk,
            "quote": "exports rose by 12 per cent",
            "claim_reviewed": "Exports rose by 12%",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["anchor"]["start"] == ARTICLE_TEXT.index("exports rose")
    assert body["created_by"] == "checker"
    assert response["ETag"] == '"v1"'
    assert response["Location"].endswith(f"/api/v1/claims/{body['id']}/")


def test_create_claim_from_start_and_end_takes_the_quote_from_the_text(checker_client):
    article = ArticleFactory()
    start = ARTICLE_TEXT.index("Critics say")
    response = checker_client.post(
        "/api/v1/claims/",
        {
            "article": article.pk,
            "anchor_start": start,
            "anchor_end": start + 11,
            "claim_reviewed": "Critics dispute it",
        },
    )
    assert response.status_code == 201
    assert response.json()["quote"] == "Critics say"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"quote": "not in the article"}, "quote"),
        ({"quote": "exports", "anchor_start": 3}, "quote"),
        ({"anchor_start": 5000, "anchor_end": 5010}, "anchor_end"),
        ({"anchor_start": 0, "anchor_end": 1_000_000}, "anchor_end"),
        ({"quote": "Critics say", "anchor_start": 0, "anchor_end": 1_000_000}, "anchor_end"),
        ({"quote": "exports", "anchor_start": 5000}, "anchor_start"),
        ({"anchor_start": 10, "anchor_end": 5}, "anchor_end"),
        ({}, "quote"),
    ],
)
def test_create_claim_with_a_bad_anchor_is_refused_with_the_field(checker_client, payload, field):
    article = ArticleFactory()
    response = checker_client.post(
        "/api/v1/claims/", {"article": article.pk, "claim_reviewed": "x", **payload}
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Claim.objects.exists()


def test_patch_without_if_match_is_428_and_writes_nothing(checker_client, draft):
    response = checker_client.patch(f"/api/v1/claims/{draft.pk}/", {"claimant": "Someone"})
    assert response.status_code == 428
    assert response["Content-Type"] == "application/problem+json"
    draft.refresh_from_db()
    assert draft.claimant == ""


def test_patch_with_a_stale_etag_is_412_and_writes_nothing(checker_client, draft):
    etag = checker_client.get(f"/api/v1/claims/{draft.pk}/")["ETag"]
    first = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/", {"claimant": "First"}, HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200
    assert first["ETag"] != etag
    second = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/", {"claimant": "Second"}, HTTP_IF_MATCH=etag
    )
    assert second.status_code == 412
    draft.refresh_from_db()
    assert draft.claimant == "First"


def test_patch_with_current_etag_edits_verdict_and_rationale(checker_client, draft):
    etag = checker_client.get(f"/api/v1/claims/{draft.pk}/")["ETag"]
    response = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/",
        {"verdict": "mostly-false", "rationale": "Customs data say 9%."},
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["verdict"] == "mostly-false"


def test_a_nul_character_in_a_slug_is_a_400(checker_client):
    article = ArticleFactory()
    response = checker_client.post(
        "/api/v1/claims/",
        {"article": article.pk, "quote": "Critics say", "claim_reviewed": "x", "topics": ["a\x00"]},
    )
    assert response.status_code == 400
    assert "topics" in response.json()["errors"]


def test_patch_sets_topics_by_slug(checker_client, draft):
    from claims.models import Topic

    Topic.objects.create(name="Economy", slug="economy")
    etag = checker_client.get(f"/api/v1/claims/{draft.pk}/")["ETag"]
    response = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/", {"topics": ["economy"]}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert response.json()["topics"] == ["economy"]
    listed = checker_client.get("/api/v1/claims/?topic=economy").json()["results"]
    assert [c["id"] for c in listed] == [draft.pk]


def test_patch_with_an_unknown_verdict_is_a_400(checker_client, draft):
    etag = checker_client.get(f"/api/v1/claims/{draft.pk}/")["ETag"]
    response = checker_client.patch(
        f"/api/v1/claims/{draft.pk}/", {"verdict": "pants-on-fire"}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert "verdict" in response.json()["errors"]


def test_workflow_through_the_api_from_new_to_published(checker_client, editor_client, draft):
    url = f"/api/v1/claims/{draft.pk}"
    assert checker_client.post(f"{url}/start-research/").json()["status"] == "researching"
    evidence = checker_client.post(
        f"{url}/evidence/", {"source_url": "https://stats.example/exports", "stance": "refutes"}
    )
    assert evidence.status_code == 201
    etag = checker_client.get(f"{url}/")["ETag"]
    checker_client.patch(
        f"{url}/", {"verdict": "false", "rationale": "It was 3%."}, HTTP_IF_MATCH=etag
    )
    submitted = checker_client.post(f"{url}/submit/", {"comment": "Ready"})
    assert submitted.json()["status"] == "in_review"
    published = editor_client.post(f"{url}/publish/")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    kinds = list(ClaimEvent.objects.filter(claim=draft).values_list("kind", flat=True))
    assert {"research_started", "submitted", "published"} <= set(kinds)


def test_submit_without_verdict_is_400_with_the_reason(checker_client, draft):
    checker_client.post(f"/api/v1/claims/{draft.pk}/start-research/")
    response = checker_client.post(f"/api/v1/claims/{draft.pk}/submit/")
    assert response.status_code == 400
    assert "choose a verdict" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == "researching"


def test_dismiss_needs_a_reason(checker_client, editor_client, draft):
    response = editor_client.post(f"/api/v1/claims/{draft.pk}/dismiss/", {})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    ok = editor_client.post(f"/api/v1/claims/{draft.pk}/dismiss/", {"reason": "Opinion."})
    assert ok.json()["status"] == "dismissed"


def test_claim_detail_exposes_the_canonical_claim(client_anon, published, fact_checker, editor):
    from tests.factories import make_published_claim

    other = make_published_claim(checker=fact_checker, editor=editor)
    Claim.objects.filter(pk=other.pk).update(canonical=published)
    assert client_anon.get(f"/api/v1/claims/{other.pk}/").json()["canonical"] == published.pk


def test_verdict_scale_is_public_and_keyed_by_code(client_anon):
    body = client_anon.get("/api/v1/verdicts/").json()
    assert [v["code"] for v in body][:2] == ["true", "mostly-true"]
    assert client_anon.get("/api/v1/verdicts/false/").json()["rating_value"] == 1
    assert verdict("false").rating_value == 1


def test_a_client_holding_the_current_version_gets_304(client_anon, published):
    etag = client_anon.get(f"/api/v1/claims/{published.pk}/")["ETag"]
    assert etag == f'"v{published.version}"'
    again = client_anon.get(f"/api/v1/claims/{published.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    stale = client_anon.get(f"/api/v1/claims/{published.pk}/", HTTP_IF_NONE_MATCH='"v0"')
    assert stale.status_code == 200
