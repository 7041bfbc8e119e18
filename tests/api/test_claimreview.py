"""ClaimReview out (one claim, the DataFeed) and in (import), with the quirks of real markup."""

import copy

import pytest
from django.core.exceptions import ValidationError

from claims.models import Claim, ClaimEvent, Evidence
from claims.services.importing import claimreview_import
from sources.models import Outlet

pytestmark = pytest.mark.django_db

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://checker.example/fact-checks/bridge-cost",
    "claimReviewed": "The new bridge cost 40 billion euros",
    "datePublished": "2024-03-05",
    "inLanguage": "en",
    "author": {
        "@type": "Organization",
        "name": "Checker Example",
        "url": "https://checker.example",
    },
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    },
    "itemReviewed": {
        "@type": "Claim",
        "author": {
            "@type": "Person",
            "name": "Jane Senator",
            "sameAs": "https://www.wikidata.org/wiki/Q1",
        },
        "datePublished": "2024-03-01",
        "appearance": [{"@type": "CreativeWork", "url": "https://news.example/bridge-interview"}],
    },
}

# The untidy markup fact-checkers really publish: "type" instead of "@type", @type as a list,
# a datetime with a space and a one-digit offset, a URL without a scheme in the author, a
# claimReviewed longer than our 140 characters, a rating nobody's scale has.
QUIRKY = {
    "type": ["ClaimReview"],
    "url": "https://verifica.example/2020/08/31/viadotto",
    "claimReviewed": "Il viadotto " + "molto " * 40 + "lungo è stato costruito in un anno",
    "datePublished": "2020-08-31 17:22:16+5:30",
    "author": {"@type": "Organization", "name": "Verifica", "url": "verifica.example"},
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": "4",
        "alternateName": "Tre pinocchi di cartone",
    },
    "itemReviewed": {
        "@type": "CreativeWork",
        "url": "https://social.example/post/1",
        "author": {"@type": "Organization", "name": "Pagina social", "sameAs": []},
    },
    "inLanguage": "it",
}


def _feed(*reviews):
    return {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [{"@type": "DataFeedItem", "item": [r]} for r in reviews],
    }


def test_published_claim_exports_as_claimreview(client_anon, published):
    body = client_anon.get(f"/api/v1/claims/{published.pk}/claimreview/").json()
    assert body["@type"] == "ClaimReview"
    assert body["claimReviewed"] == published.claim_reviewed
    assert body["reviewRating"]["alternateName"] == "False"
    assert body["itemReviewed"]["author"]["name"] == "The minister"


def test_unpublished_claim_has_no_claimreview(checker_client, draft):
    response = checker_client.get(f"/api/v1/claims/{draft.pk}/claimreview/")
    assert response.status_code == 404


def test_feed_lists_every_published_claim_and_no_draft(client_anon, published, draft):
    response = client_anon.get("/api/v1/claimreview/feed/")
    assert response["Content-Type"].startswith("application/ld+json")
    feed = response.json()
    assert feed["@type"] == "DataFeed"
    reviewed = [el["item"][0]["claimReviewed"] for el in feed["dataFeedElement"]]
    assert reviewed == [published.claim_reviewed]


def test_import_one_review_creates_a_published_claim_with_its_sources(editor_client):
    response = editor_client.post("/api/v1/claimreview/import/", REVIEW, format="json")
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["created"] == 1
    claim = Claim.objects.get(pk=report["items"][0]["claim"])
    assert claim.status == "published"
    assert claim.verdict.code == "false"
    assert claim.claimant == "Jane Senator"
    assert claim.claimed_on.isoformat() == "2024-03-01"
    origin = Evidence.objects.get(claim=claim, stance="origin")
    assert origin.source.url == "https://news.example/bridge-interview"
    assert Outlet.objects.filter(domain="news.example").exists()
    assert ClaimEvent.objects.filter(claim=claim, kind="imported").exists()


def test_importing_the_same_document_twice_creates_nothing_new(editor_client):
    feed = _feed(REVIEW, QUIRKY)
    first = editor_client.post("/api/v1/claimreview/import/", feed, format="json").json()
    counts = (Claim.objects.count(), Evidence.objects.count(), Outlet.objects.count())
    second = editor_client.post("/api/v1/claimreview/import/", feed, format="json").json()
    assert first["created"] == 2
    assert second["created"] == 0
    assert second["unchanged"] == 2
    assert (Claim.objects.count(), Evidence.objects.count(), Outlet.objects.count()) == counts


def test_a_changed_review_updates_its_claim(editor_client):
    editor_client.post("/api/v1/claimreview/import/", REVIEW, format="json")
    changed = copy.deepcopy(REVIEW)
    changed["reviewRating"]["alternateName"] = "Mostly false"
    report = editor_client.post("/api/v1/claimreview/import/", [changed], format="json").json()
    assert report["updated"] == 1
    assert Claim.objects.get().verdict.code == "mostly-false"


def test_unknown_rating_is_kept_verbatim_and_flagged(editor_client):
    report = editor_client.post("/api/v1/claimreview/import/", QUIRKY, format="json").json()
    item = report["items"][0]
    assert item["result"] == "created"
    assert item["flags"] == ["unknown_rating"]
    claim = Claim.objects.get()
    assert claim.verdict is None
    assert claim.imported_rating == "Tre pinocchi di cartone"
    assert claim.needs_rating_mapping
    assert claim.published_at.utcoffset() is not None
    assert len(claim.claim_reviewed) <= 140
    assert claim.quote == QUIRKY["claimReviewed"]
    assert claim.claimant_is_organization


def test_an_editors_mapping_survives_a_reimport(editor_client):
    editor_client.post("/api/v1/claimreview/import/", QUIRKY, format="json")
    from tests.factories import verdict

    Claim.objects.update(verdict=verdict("misleading"))
    report = editor_client.post("/api/v1/claimreview/import/", QUIRKY, format="json").json()
    assert report["unchanged"] == 1
    assert Claim.objects.get().verdict.code == "misleading"


def test_bad_items_are_rejected_with_reasons_and_the_rest_imported(editor_client):
    no_url = {k: v for k, v in REVIEW.items() if k != "url"}
    no_rating = {**REVIEW, "url": "https://checker.example/other", "reviewRating": {}}
    document = [REVIEW, no_url, {"@type": "NewsArticle"}, no_rating, "text"]
    report = editor_client.post("/api/v1/claimreview/import/", document, format="json").json()
    results = [item["result"] for item in report["items"]]
    assert results == ["created", "rejected", "rejected", "rejected", "rejected"]
    assert "url" in report["items"][1]["errors"][0]
    assert report["items"][2]["errors"] == ["Not a ClaimReview."]
    assert "reviewRating" in report["items"][3]["errors"][0]
    assert Claim.objects.count() == 1


def test_a_numeric_only_rating_is_kept_for_an_editor(editor_client):
    review = {**REVIEW, "reviewRating": {"ratingValue": "2", "bestRating": "5"}}
    report = editor_client.post("/api/v1/claimreview/import/", review, format="json").json()
    assert report["items"][0]["flags"] == ["unknown_rating"]
    assert Claim.objects.get().imported_rating == "2/5"


def test_a_review_with_nul_characters_is_rejected_not_a_crash(editor_client):
    review = {**REVIEW, "claimReviewed": "Zero\u0000byte"}
    report = editor_client.post("/api/v1/claimreview/import/", review, format="json").json()
    assert report["items"][0]["errors"] == ["The review contains NUL characters."]
    assert not Claim.objects.exists()


def test_graph_documents_are_read_too(editor_client):
    document = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, REVIEW]}
    report = editor_client.post("/api/v1/claimreview/import/", document, format="json").json()
    assert report["created"] == 1
    assert report["rejected"] == 1


def test_export_after_import_preserves_what_the_publisher_said(editor_client, client_anon):
    report = editor_client.post(
        "/api/v1/claimreview/import/", _feed(REVIEW, QUIRKY), format="json"
    ).json()
    for item, original in zip(report["items"], [REVIEW, QUIRKY], strict=True):
        exported = client_anon.get(f"/api/v1/claims/{item['claim']}/claimreview/").json()
        assert exported["claimReviewed"] == original["claimReviewed"]
        assert exported["url"] == original["url"]
        assert exported["datePublished"] == original["datePublished"]
        assert exported["author"] == original["author"]
        assert (
            exported["reviewRating"]["alternateName"] == original["reviewRating"]["alternateName"]
        )
        assert (
            exported["itemReviewed"]["author"]["name"] == original["itemReviewed"]["author"]["name"]
        )
    first = client_anon.get(f"/api/v1/claims/{report['items'][0]['claim']}/claimreview/").json()
    assert first["itemReviewed"]["datePublished"] == "2024-03-01"
    assert first["itemReviewed"]["appearance"] == REVIEW["itemReviewed"]["appearance"]
    assert first["itemReviewed"]["author"]["sameAs"] == "https://www.wikidata.org/wiki/Q1"


def test_fact_checkers_cannot_import(checker_client):
    response = checker_client.post("/api/v1/claimreview/import/", REVIEW, format="json")
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_import_accepts_the_json_ld_media_type(editor_client):
    import json

    response = editor_client.generic(
        "POST",
        "/api/v1/claimreview/import/",
        json.dumps(REVIEW),
        content_type="application/ld+json",
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1


def _nested(depth):
    node = []
    for _level in range(depth - 1):
        node = [node]
    return node


def test_a_document_nested_500_levels_is_refused_by_the_importer(editor):
    review = {**copy.deepcopy(REVIEW), "extra": _nested(500)}
    with pytest.raises(ValidationError, match="nests deeper than 32 levels"):
        claimreview_import(document=[review], actor=editor)
    with pytest.raises(ValidationError, match="nests deeper"):
        claimreview_import(document={"@graph": _nested(500)}, actor=editor)
    assert not Claim.objects.exists()


def test_a_document_at_the_depth_bound_is_read(editor):
    report = claimreview_import(
        document=[{**copy.deepcopy(REVIEW), "x": _nested(20)}], actor=editor
    )
    assert report.count("created") == 1


def test_a_deep_document_through_the_api_is_a_400(editor_client):
    response = editor_client.post(
        "/api/v1/claimreview/import/", {"@graph": _nested(40)}, format="json"
    )
    assert response.status_code == 400
    assert "nests deeper than 32 levels" in response.json()["detail"]
    assert not Claim.objects.exists()
