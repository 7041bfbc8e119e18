"""Other organisations' ratings: spellings folded, labels of six languages mapped, the rest kept
verbatim and flagged; imported reviews keep their own numbers, date and language."""

import datetime

import pytest

from claims.claimreview import claim_review
from claims.models import Claim, VerdictRating
from claims.ratings import alias_index, normalise_label, verdict_for
from claims.services.importing import claimreview_import


def test_spellings_of_one_label_fold_to_one_form():
    spellings = ("Barely True", "barely-true", "BARELY_TRUE", " barely  true!\r", "barely–true")
    forms = {normalise_label(label) for label in spellings}
    assert forms == {"barely true"}
    assert normalise_label("Nì") == normalise_label("ni")
    assert normalise_label("C’eri quasi") == normalise_label("c'eri quasi")


class Rating:
    def __init__(self, code, *aliases):
        self.code, self.aliases = code, aliases

    def alias_set(self):
        return {self.code, *self.aliases}


def test_a_label_two_ratings_claim_maps_to_neither():
    index = alias_index([Rating("mixed", "partly false"), Rating("mostly-false", "Partly-False")])
    assert verdict_for("partly false", index) is None
    assert verdict_for("", index) is None


# Labels as fact-checkers publish them (our own list, one or two per organisation and language),
# and what the default scale should read them as.
PUBLISHED_LABELS = {
    "barely-true": "mostly-false",
    "mostly_false": "mostly-false",
    "pants on fire!": "false",
    "Pants-Fire": "false",
    "Notizia Vera": "true",
    "Notizia Falsa": "false",
    "Pinocchio andante": "false",
    "Panzana pazzesca": "false",
    "C'eri quasi": "mostly-true",
    "Nì": "mixed",
    "False Context": "misleading",
    "missing_context": "misleading",
    "Fuori contesto": "misleading",
    "half-true": "mixed",
    "Engañoso": "misleading",
    "Verdadero a medias": "mixed",
    "Meia verdade": "mixed",
    "Verdadeiro": "true",
    "Faux": "false",
    "Plutôt vrai": "mostly-true",
    "Größtenteils falsch": "mostly-false",
    "Fehlender Kontext": "misleading",
    "Incorrect \r": "false",
    "FALSE": "false",
    "Unproven": "unverifiable",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "code"), PUBLISHED_LABELS.items())
def test_published_labels_map_onto_the_default_scale(label, code):
    index = alias_index(VerdictRating.objects.all())
    assert verdict_for(label, index).code == code


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["Full Flop", "Satire", "Other", "Tre pinocchi di cartone"])
def test_labels_that_are_no_verdict_on_truth_map_to_nothing(label):
    assert verdict_for(label, alias_index(VerdictRating.objects.all())) is None


def _review(**changes):
    review = {
        "@type": "ClaimReview",
        "url": "https://verifica.example/2024/03/05/ponte",
        "claimReviewed": "Il nuovo ponte è costato quaranta miliardi di euro ai contribuenti",
        "datePublished": "2024-03-05",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Pinocchio andante",
        },
        "itemReviewed": {"@type": "Claim", "datePublished": "2024-03-01"},
    }
    return {**review, **changes}


def _import_one(review, editor) -> Claim:
    report = claimreview_import(document=review, actor=editor)
    assert report.items[0].result == "created", report.as_dict()
    return Claim.objects.select_related("verdict", "article").get(pk=report.items[0].claim)


@pytest.mark.django_db
def test_an_imported_review_maps_its_label_and_exports_its_own_numbers(editor):
    claim = _import_one(_review(), editor)
    assert claim.verdict.code == "false"
    rating = claim_review(claim, bounds=(1, 6))["reviewRating"]
    assert rating == {
        "@type": "Rating",
        "alternateName": "Pinocchio andante",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }


@pytest.mark.django_db
def test_an_imported_review_without_numbers_gets_none_of_ours(editor):
    review = _review(reviewRating={"@type": "Rating", "alternateName": "barely-true"})
    claim = _import_one(review, editor)
    assert claim.verdict.code == "mostly-false"
    rating = claim_review(claim, bounds=(1, 6))["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": "barely-true"}


@pytest.mark.django_db
def test_a_date_only_date_published_stays_that_day(editor):
    claim = _import_one(_review(), editor)
    assert claim.published_at.astimezone(datetime.UTC).date() == datetime.date(2024, 3, 5)
    assert claim_review(claim, bounds=(1, 6))["datePublished"] == "2024-03-05"
    assert claim.claimed_on == datetime.date(2024, 3, 1)


@pytest.mark.django_db
def test_in_language_is_taken_from_the_review_or_detected(editor):
    assert _import_one(_review(inLanguage="pt-BR"), editor).language == "pt-BR"
    tagged = _review(url="https://verifica.example/2", inLanguage={"alternateName": "es"})
    assert _import_one(tagged, editor).language == "es"
    assert _import_one(_review(url="https://verifica.example/3"), editor).language == "it"
    english = _review(
        url="https://checker.example/4",
        claimReviewed="The new bridge cost forty billion euros to taxpayers",
    )
    assert _import_one(english, editor).language == "en"
    short = _review(url="https://checker.example/5", claimReviewed="Falso!")
    assert _import_one(short, editor).language == "und"
