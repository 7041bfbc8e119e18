import pytest
from django.core.exceptions import ValidationError

from claims.choices import AnchorState
from claims.models import ClaimCandidate
from claims.services.articles import article_update_text
from claims.services.candidates import candidate_accept, candidate_dismiss, candidates_refresh
from tests.factories import ArticleFactory, UserFactory, make_claim

TEXT = (
    "Exports rose by 12 per cent in 2023, the ministry said. "
    "The weather was pleasant in the capital. "
    "Unemployment fell to 4.2% in March, according to the statistics office."
)


@pytest.fixture
def article(db):
    return ArticleFactory(text=TEXT)


def test_refresh_stores_open_candidates_for_the_current_revision(article):
    candidates = candidates_refresh(article=article)
    assert [c.text for c in candidates] == [
        "Exports rose by 12 per cent in 2023, the ministry said.",
        "Unemployment fell to 4.2% in March, according to the statistics office.",
    ]
    assert all(c.revision.number == 1 and c.reasons for c in candidates)


def test_accepting_a_candidate_creates_an_anchored_claim_on_its_span(article):
    candidate = candidates_refresh(article=article)[1]
    user = UserFactory()
    claim = candidate_accept(candidate=candidate, actor=user)
    assert claim.quote == candidate.text
    assert (claim.anchor_start, claim.anchor_end) == (candidate.start, candidate.end)
    assert claim.anchor_state == AnchorState.EXACT
    candidate.refresh_from_db()
    assert candidate.decision == ClaimCandidate.Decision.ACCEPTED
    assert candidate.claim == claim and candidate.decided_by == user
    # Refreshing again does not propose the sentence that is now a claim.
    assert [c.text for c in candidates_refresh(article=article)] == [
        "Exports rose by 12 per cent in 2023, the ministry said."
    ]


def test_a_dismissed_candidate_is_not_proposed_again(article):
    candidate = candidates_refresh(article=article)[0]
    candidate_dismiss(candidate=candidate, actor=UserFactory())
    texts = [c.text for c in candidates_refresh(article=article)]
    assert candidate.text not in texts and len(texts) == 1


def test_a_decided_candidate_cannot_be_accepted(article):
    candidate = candidates_refresh(article=article)[0]
    candidate_dismiss(candidate=candidate, actor=None)
    with pytest.raises(ValidationError, match="already dismissed"):
        candidate_accept(candidate=candidate, actor=None)
    assert not article.claims.exists()


def test_a_candidate_whose_text_moved_is_refused_not_misanchored(article):
    candidate = candidates_refresh(article=article)[0]
    type(article).objects.filter(pk=article.pk).update(text="New lead. " + TEXT)
    with pytest.raises(ValidationError, match="changed since"):
        candidate_accept(candidate=candidate, actor=None)
    assert not article.claims.exists()


def test_a_long_sentence_gets_a_short_wording_within_the_limit(db):
    sentence = "According to the ministry, " + "exports of grain rose by 12 per cent " * 6 + "."
    article = ArticleFactory(text=sentence)
    claim = candidate_accept(candidate=candidates_refresh(article=article)[0], actor=None)
    assert len(claim.claim_reviewed) <= 140 and claim.claim_reviewed.endswith("…")


def test_existing_claims_suppress_their_sentence(db):
    article = ArticleFactory(text=TEXT)
    make_claim(article=article, quote="Exports rose by 12 per cent in 2023, the ministry said.")
    assert len(candidates_refresh(article=article)) == 1


def test_updating_the_text_proposes_open_suggestions_afresh(article):
    candidates_refresh(article=article)
    article_update_text(article=article, text="Breaking: the ministry spoke. " + TEXT, actor=None)
    article.refresh_from_db()
    assert article.candidates.count() == 2
    for candidate in article.candidates.all():
        assert article.text[candidate.start : candidate.end] == candidate.text
        assert candidate.revision.number == 2
