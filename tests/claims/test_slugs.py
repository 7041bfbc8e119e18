"""Slugs of new claims: unique, even when two are made of the same words at the same moment."""

import pytest

from claims.models import Claim
from claims.services import slugs
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_two_claims_of_the_same_words_get_two_slugs():
    first = make_claim(claim_reviewed="Unemployment fell to 6.1% in 2023")
    second = make_claim(claim_reviewed="Unemployment fell to 6.1% in 2023")
    assert (first.slug, second.slug) == (
        "unemployment-fell-to-61-in-2023",
        "unemployment-fell-to-61-in-2023-2",
    )


def test_a_claim_that_loses_the_race_for_its_slug_takes_the_next_instead_of_failing(
    monkeypatch,
):
    first = make_claim(claim_reviewed="Unemployment fell to 6.1% in 2023")
    # Another editor's claim of the same words was saved between this one choosing its slug
    # and saving it: the slug it chose is taken when it saves.
    real = slugs.unique_slug
    chosen = iter([first.slug])
    monkeypatch.setattr(
        "claims.services.claims.unique_slug",
        lambda model, text: next(chosen, None) or real(model, text),
    )
    second = make_claim(claim_reviewed="Unemployment fell to 6.1% in 2023")
    assert second.slug == "unemployment-fell-to-61-in-2023-2"
    assert Claim.objects.count() == 2
