import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from claims.models import ClaimEvent
from claims.services import claim_dismiss
from claims.services.linking import claim_link_same
from claims.similarity import (
    claim_sightings,
    search_claims,
    similar_claims,
    wording_similarities,
)
from tests.factories import ArticleFactory, make_claim, make_published_claim

SAID = "The minister said unemployment fell to 6.1% in 2023, the lowest since 2008."


@pytest.fixture
def checked(db, fact_checker, editor):
    """A published claim, checked in one outlet's article."""
    return make_published_claim(
        checker=fact_checker,
        editor=editor,
        article=ArticleFactory(text=SAID),
        quote="unemployment fell to 6.1% in 2023",
        claim_reviewed="Unemployment fell to 6.1% in 2023, the lowest since 2008",
    )


def test_the_same_claim_reworded_elsewhere_is_found_with_its_verdict(checked):
    other = make_claim(
        article=ArticleFactory(text="Unrelated: a bridge opened in Turin on Monday."),
        quote="a bridge opened in Turin on Monday",
    )
    found = similar_claims(
        "In 2023 unemployment fell to 6.1%, the lowest since 2008", language="en"
    )
    assert [claim.pk for claim in found] == [checked.pk]
    assert found[0].similarity > 0.5 and found[0].verdict.code == "false"
    assert other.pk not in [claim.pk for claim in found]


def test_wording_compared_with_given_claims_scores_as_the_search_does(checked):
    """The intake pipeline compares a sentence's wording with its nearest claims by meaning
    (one query for a whole batch): the same similarity a search gives, for each given claim."""
    other = make_claim(
        article=ArticleFactory(text="Unrelated: a bridge opened in Turin on Monday."),
        quote="a bridge opened in Turin on Monday",
    )
    sentence = "In 2023 unemployment fell to 6.1%, the lowest since 2008"
    (searched,) = similar_claims(sentence, language="en")
    scores = wording_similarities(
        [sentence, "Nothing alike here at all", "x"], [[checked.pk, other.pk], [checked.pk], []]
    )
    assert scores[0][checked.pk] == pytest.approx(searched.similarity, abs=1e-3)
    unlike = searched.similarity / 2
    assert scores[0][other.pk] < unlike and scores[1][checked.pk] < unlike
    assert scores[2] == {}
    assert wording_similarities([], []) == []


def test_a_sentence_that_contains_a_checked_quote_finds_it(checked, db):
    long_quote = make_claim(
        article=ArticleFactory(text="He said Kazakhstan allocated 918 million dollars to defence."),
        quote="Kazakhstan allocated 918 million dollars to defence",
    )
    sentence = (
        "According to a Kazakh official quoted by the paper, Kazakhstan allocated 918 million "
        "dollars to defence, almost one and a half times last year's budget, and more."
    )
    assert long_quote.pk in [claim.pk for claim in similar_claims(sentence, language="en")]


def test_the_claim_itself_and_dismissed_claims_are_left_out(checked, editor):
    draft = make_claim(
        article=ArticleFactory(text=SAID),
        quote="unemployment fell to 6.1% in 2023, the lowest since 2008",
    )
    claim_dismiss(claim=draft, actor=editor, reason="Duplicate of a published check.")
    assert similar_claims(checked.claim_reviewed, exclude=checked) == []


def test_published_only_hides_drafts(checked):
    draft = make_claim(article=ArticleFactory(text=SAID), quote="unemployment fell to 6.1% in 2023")
    everyone = {c.pk for c in similar_claims("unemployment fell to 6.1% in 2023")}
    public = {
        c.pk for c in similar_claims("unemployment fell to 6.1% in 2023", published_only=True)
    }
    assert everyone == {checked.pk, draft.pk} and public == {checked.pk}


def test_search_finds_claims_by_their_words(checked):
    assert list(search_claims("unemployment", language="en")) == [checked]


def test_linking_points_sightings_at_the_first_check_and_records_it(checked, editor):
    sighting = make_claim(
        article=ArticleFactory(text=SAID), quote="unemployment fell to 6.1% in 2023"
    )
    later = make_claim(article=ArticleFactory(text=SAID), quote="unemployment fell to 6.1%")
    claim_link_same(claim=later, canonical=sighting, actor=editor)
    claim_link_same(claim=sighting, canonical=checked, actor=editor)
    sighting.refresh_from_db()
    later.refresh_from_db()
    # Both point at the root, so "also seen in" is one query on the first check.
    assert sighting.canonical == checked and later.canonical == checked
    assert set(checked.appearances.all()) == {sighting, later}
    event = sighting.events.get(kind=ClaimEvent.Kind.LINKED)
    assert event.actor == editor and event.data["sightings_moved"] == [later.pk]


def test_a_claim_cannot_be_linked_to_its_own_sighting(checked, editor):
    sighting = make_claim(article=ArticleFactory(text=SAID))
    claim_link_same(claim=sighting, canonical=checked, actor=editor)
    with pytest.raises(ValidationError, match="itself"):
        claim_link_same(claim=checked, canonical=sighting, actor=editor)
    checked.refresh_from_db()
    assert checked.canonical is None


def test_api_lists_only_published_claims_to_anonymous_callers(client, checked):
    make_claim(article=ArticleFactory(text=SAID), quote="unemployment fell to 6.1% in 2023")
    response = client.get("/api/v1/claims/similar/", {"text": "unemployment fell to 6.1% in 2023"})
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body] == [checked.pk]
    assert body[0]["verdict"]["code"] == "false"
    assert body[0]["url"].endswith(checked.get_absolute_url())


def test_api_shows_drafts_to_staff(client, checked, fact_checker):
    draft = make_claim(article=ArticleFactory(text=SAID), quote="unemployment fell to 6.1% in 2023")
    client.force_login(fact_checker)
    body = client.get(
        "/api/v1/claims/similar/", {"text": "unemployment fell to 6.1% in 2023"}
    ).json()
    assert {item["id"] for item in body} == {checked.pk, draft.pk}
    assert next(i for i in body if i["id"] == draft.pk)["verdict"] is None


@pytest.mark.parametrize("params", [{}, {"text": "ab"}, {"text": "valid text", "limit": "0"}])
def test_api_refuses_bad_input_with_field_messages(client, db, params):
    response = client.get("/api/v1/claims/similar/", params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) <= {"text", "limit"} and errors


@pytest.mark.postgres
def test_api_query_count_does_not_grow_with_matches(
    client, fact_checker, editor, django_assert_max_num_queries
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the SQLite fallback filters word by word")
    for _ in range(5):
        make_published_claim(
            checker=fact_checker,
            editor=editor,
            article=ArticleFactory(text=SAID),
            quote="unemployment fell to 6.1% in 2023",
        )
    # 1: candidates and their trigram scores; 2: the claims with verdict, article and outlet;
    # 3: the claim vectors (claims.matching; none stored here, so no claims found by meaning).
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/claims/similar/", {"text": "unemployment fell to 6.1%"})
    assert len(response.json()) == 5


def test_sightings_list_the_other_places_a_linked_claim_was_seen(
    checked, editor, django_assert_num_queries
):
    second = make_claim(article=ArticleFactory(text=SAID))
    third = make_claim(article=ArticleFactory(text=SAID))
    claim_link_same(claim=second, canonical=checked, actor=editor)
    claim_link_same(claim=third, canonical=second, actor=editor)
    second.refresh_from_db()
    third.refresh_from_db()
    with django_assert_num_queries(1):  # the linked claims with verdict, article and outlet
        seen = claim_sightings(second, published_only=False)
    assert seen == [checked, third]
    assert claim_sightings(third) == [checked]  # drafts are not public
