import pytest
from django.core.exceptions import ValidationError

from claims.anchoring import Method, anchor_at, reanchor
from claims.choices import AnchorState
from claims.models import ClaimEvent
from claims.services.articles import article_update_text, claim_reanchor_manually
from tests.factories import ARTICLE_TEXT, ArticleFactory, UserFactory, make_claim

QUOTE = "unemployment fell to 6.1% in 2023"


def land(text, old_text, quote):
    start = old_text.index(quote)
    anchor = anchor_at(old_text, start, start + len(quote))
    return reanchor(
        text, quote=quote, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start
    )


def test_unchanged_position_is_kept():
    result = land(ARTICLE_TEXT + " More.", ARTICLE_TEXT, QUOTE)
    assert result.method == Method.POSITION and result.anchor.confidence == 1.0


def test_quote_moved_by_an_inserted_paragraph_is_found_exactly():
    text = "A new first paragraph.\n\n" + ARTICLE_TEXT
    result = land(text, ARTICLE_TEXT, QUOTE)
    assert result.method == Method.QUOTE
    assert text[result.anchor.start : result.anchor.end] == QUOTE


def test_context_picks_the_right_one_of_two_repeats():
    old = "Alpha said prices rose. Beta said prices rose. End."
    start = old.index("prices rose", 12)
    anchor = anchor_at(old, start, start + len("prices rose"))
    new = "Intro. " + old
    result = reanchor(
        new, quote="prices rose", prefix=anchor.prefix, suffix=anchor.suffix, start=start
    )
    assert new[: result.anchor.start].endswith("Beta said ")


def test_repeats_the_context_cannot_separate_are_not_guessed():
    text = "Prices rose. Wages fell. Prices rose."
    result = reanchor(text, quote="Prices rose.", prefix="", suffix="", start=50)
    assert result.anchor is None and "2 times" in result.reason


def test_typo_fix_lands_fuzzily_with_confidence_on_whole_words():
    old = "The minister said unemployment fell to 6.1% in 2023, the lowest since 2008."
    quote = "unemployment fell to 6.1% in 2023, the lowest since 2008"
    new = old.replace("lowest", "lowest level").replace("unemployment", "unemployement")
    result = land(new, old, quote)
    assert result.method == Method.FUZZY
    assert new[result.anchor.start : result.anchor.end] == (
        "unemployement fell to 6.1% in 2023, the lowest level since 2008"
    )
    assert 0.8 <= result.anchor.confidence < 1


def test_a_changed_figure_orphans_instead_of_following_the_text():
    old = "The protests left more than 200 dead in January 2022, officials said."
    quote = "The protests left more than 200 dead in January 2022"
    result = land(old.replace("200", "230"), old, quote)
    assert result.anchor is None and "figures changed (200, 2022 → 230, 2022)" in result.reason


def test_a_reworded_figure_is_not_matched():
    old = "Officials said that 918 million dollars went to defence last year."
    quote = "918 million dollars went to defence last year"
    new = "Officials said that close to a billion went on the army in the last budget."
    assert land(new, old, quote).anchor is None


@pytest.fixture
def article(db):
    return ArticleFactory()


def test_editing_the_text_stores_a_revision_and_moves_claims_with_events(article):
    claim = make_claim(article=article)
    user = UserFactory()
    new_text = "Editor's note: updated.\n\n" + ARTICLE_TEXT
    revision = article_update_text(article=article, text=new_text, actor=user, note="update")
    claim.refresh_from_db()
    article.refresh_from_db()
    assert revision.number == 2 and article.text == new_text
    assert new_text[claim.anchor_start : claim.anchor_end] == QUOTE
    assert claim.anchor_state == AnchorState.EXACT and claim.anchored_revision == revision
    event = claim.events.get(kind=ClaimEvent.Kind.REANCHORED)
    assert event.actor == user and event.data["old"]["start"] == ARTICLE_TEXT.index(QUOTE)


def test_a_deleted_sentence_orphans_its_claim_and_keeps_it_whole(article):
    claim = make_claim(article=article, quote="exports rose by 12 per cent")
    kept = make_claim(article=article)
    new_text = ARTICLE_TEXT.replace("According to Reuters, exports rose by 12 per cent. ", "")
    article_update_text(article=article, text=new_text, actor=None)
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.ORPHANED
    assert claim.quote == "exports rose by 12 per cent"  # kept whole, old context kept too
    assert claim.anchored_revision.number == 1 and claim.anchor_prefix.endswith("Reuters, ")
    event = claim.events.get(kind=ClaimEvent.Kind.ORPHANED)
    assert "no longer in the article" in event.comment
    kept.refresh_from_db()
    assert kept.anchor_state == AnchorState.EXACT
    assert article.claims.count() == 2


def test_an_orphan_comes_back_when_its_sentence_returns(article):
    claim = make_claim(article=article, quote="exports rose by 12 per cent")
    article_update_text(article=article, text="Something else entirely.", actor=None)
    article_update_text(article=article, text=ARTICLE_TEXT, actor=None)
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.EXACT
    assert claim.anchored_revision.number == 3


def test_same_text_creates_no_revision_and_empty_text_is_refused(article):
    assert article_update_text(article=article, text=ARTICLE_TEXT, actor=None) is None
    with pytest.raises(ValidationError):
        article_update_text(article=article, text="   ", actor=None)
    assert article.revisions.count() == 1


def test_an_editor_reanchors_an_orphan_by_hand(article):
    claim = make_claim(article=article, quote="exports rose by 12 per cent")
    new_text = "Reuters reported that exports grew a little."
    article_update_text(article=article, text=new_text, actor=None)
    start = new_text.index("exports grew")
    claim = claim_reanchor_manually(claim=claim, start=start, end=len(new_text) - 1, actor=None)
    assert claim.anchor_state == AnchorState.EXACT
    assert claim.quote == "exports grew a little"
    claim.full_clean()
    with pytest.raises(ValidationError):
        claim_reanchor_manually(claim=claim, start=5, end=500, actor=None)


# The three silent losses of issue 14, on our own sentences.
EDGE_OLD = (
    "The council met on Monday. The mayor promised that the new tram line would open next "
    "spring. Residents were not convinced."
)
EDGE_QUOTE = "The mayor promised that the new tram line would open next spring."


def test_a_word_changed_at_a_sentence_edge_keeps_the_whole_sentence():
    new = EDGE_OLD.replace("next spring.", "next autumn.")
    result = land(new, EDGE_OLD, EDGE_QUOTE)
    assert result.method == Method.FUZZY
    assert new[result.anchor.start : result.anchor.end] == (
        "The mayor promised that the new tram line would open next autumn."
    )
    new = EDGE_OLD.replace("The mayor promised", "Mayor Rossi promised")
    result = land(new, EDGE_OLD, EDGE_QUOTE)
    assert new[result.anchor.start : result.anchor.end].startswith("Mayor Rossi promised")


def test_a_deleted_sentence_orphans_instead_of_landing_inside_a_longer_one():
    old = (
        "Exports of steel to China rose sharply in the spring. Trade fell elsewhere. Analysts "
        "said exports of steel to China rose quite sharply in the spring because of tariffs "
        "that Washington imposed."
    )
    quote = "Exports of steel to China rose sharply in the spring."
    new = old.replace(quote + " ", "")
    for result in (land(new, old, quote), _land_knowing_the_edit(new, old, quote)):
        assert result.anchor is None and result.reason


def test_a_quote_still_found_only_in_another_sentence_is_not_its_sentence():
    old = "Taxes went up. The mayor said taxes went up, as everyone knew. The end came."
    start = old.index("Taxes went up.")
    anchor = anchor_at(old, start, start + len("Taxes went up"))
    new = old.replace("Taxes went up. ", "")
    result = reanchor(
        new, quote="Taxes went up", prefix="", suffix=anchor.suffix, start=0, old_text=old
    )
    assert result.anchor is None


def test_a_repeated_sentence_keeps_its_copy_when_one_character_of_context_changes():
    sentence = "Prices rose by five per cent."
    lead = "The officials spoke in March, once again. "  # the same 32+ characters before both
    old = f"{lead}{sentence} The cat sat down. {lead}{sentence} The end of it all."
    start = old.rindex(sentence)
    new = old.replace(" The end of it", " Thee end of it")  # one character, after the claim
    assert new.index(sentence) < start  # the other copy comes first
    anchor = anchor_at(old, start, start + len(sentence))
    for old_text in (old, None):
        result = reanchor(
            "x" + new,  # and the text shifts, so the stored position alone does not hold
            quote=sentence,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            start=start,
            old_text=old_text,
        )
        assert result.anchor.start == start + 1


def _land_knowing_the_edit(text, old_text, quote):
    start = old_text.index(quote)
    anchor = anchor_at(old_text, start, start + len(quote))
    return reanchor(
        text,
        quote=quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        start=start,
        old_text=old_text,
    )


def test_a_sentence_edited_at_its_edge_is_stored_whole_through_the_service(article):
    article_update_text(article=article, text=EDGE_OLD, actor=None)
    article.refresh_from_db()
    claim = make_claim(article=article, quote=EDGE_QUOTE)
    new = EDGE_OLD.replace("next spring.", "next autumn.")
    article_update_text(article=article, text=new, actor=None)
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.FUZZY
    assert claim.quote == "The mayor promised that the new tram line would open next autumn."
    event = claim.events.get(kind=ClaimEvent.Kind.REANCHORED)
    assert event.data["method"] == "fuzzy"


def test_a_whole_sentence_is_not_found_again_as_a_phrase_of_another():
    old = "[1] Trade data by country and year. More text follows here. The end."
    quote = "[1] Trade data by country and year."
    new = (
        "More text follows here. The report cites [1] Trade data by country and year as "
        "the source of every figure it gives. The end."
    )
    result = land(new, old, quote)
    assert result.anchor is None and result.reason
