"""Claimants as records: linking claims, attribution chains, merging, the data migration."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from claimants.models import Claimant, ClaimantKind
from claimants.services import (
    claimant_create,
    claimant_find,
    claimant_get_or_create,
    claimant_merge,
    claimant_role_add,
)
from claims import services
from claims.claimreview import claim_review
from claims.models import AttributionLink, Claim
from sources.models import Outlet
from tests.factories import OutletFactory, make_claim

pytestmark = pytest.mark.django_db


def test_claims_naming_the_same_person_share_one_record():
    first = make_claim(claimant="Giorgia Meloni")
    second = make_claim(claimant="  giorgia   MELONI ")
    assert first.speaker is not None
    assert second.speaker == first.speaker
    assert Claimant.objects.count() == 1


def test_an_alias_finds_the_record():
    meloni = claimant_create(name="Giorgia Meloni", aliases="Meloni\nLa premier")
    assert claimant_find(name="la premier") == meloni
    assert make_claim(claimant="Meloni").speaker == meloni


def test_the_identifier_wins_over_the_name():
    record = claimant_create(name="Mario Draghi", same_as="https://www.wikidata.org/wiki/Q47563")
    found, created = claimant_get_or_create(
        name="SuperMario", same_as="https://www.wikidata.org/wiki/Q47563"
    )
    assert (found, created) == (record, False)


def test_a_role_cannot_end_before_it_starts():
    person = claimant_create(name="Matteo Salvini")
    with pytest.raises(ValidationError) as error:
        claimant_role_add(
            claimant=person,
            role="Minister",
            started_on=date(2019, 1, 1),
            ended_on=date(2018, 1, 1),
        )
    assert "ended_on" in error.value.message_dict


def test_attribution_becomes_a_chain_of_speaker_and_outlet():
    wsj = OutletFactory(name="The Wall Street Journal", domain="wsj.com")
    claim = make_claim(
        claimant="Kazakh government official",
        attribution="a Kazakh official, as reported by the Wall Street Journal",
    )
    chain = list(claim.attribution_chain.all())
    assert [link.label for link in chain] == ["a Kazakh official", "the Wall Street Journal"]
    assert chain[0].claimant == claim.speaker
    assert chain[1].outlet == wsj


def test_claimreview_author_takes_kind_and_identifier_from_the_record(fact_checker, editor):
    from tests.factories import make_published_claim

    record = claimant_create(
        name="ISTAT", kind=ClaimantKind.ORGANIZATION, same_as="https://www.wikidata.org/wiki/Q1"
    )
    claim = make_published_claim(checker=fact_checker, editor=editor, speaker=record)
    claim = Claim.objects.with_public_relations().get(pk=claim.pk)
    author = claim_review(claim, bounds=(1, 6))["itemReviewed"]["author"]
    assert author == {
        "@type": "Organization",
        "name": "ISTAT",
        "sameAs": "https://www.wikidata.org/wiki/Q1",
    }


def test_merging_moves_claims_and_attributions_and_keeps_history(editor):
    keep = claimant_create(name="Giuseppe Conte")
    duplicate = claimant_create(name="G. Conte", same_as="https://www.wikidata.org/wiki/Q2")
    claims = [make_claim(speaker=duplicate), make_claim(speaker=duplicate, attribution="Conte")]
    claimant_merge(keep=keep, duplicate=duplicate, actor=editor)
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    assert {claim.speaker_id for claim in Claim.objects.filter(pk__in=[c.pk for c in claims])} == {
        keep.pk
    }
    assert AttributionLink.objects.filter(claimant=duplicate).count() == 0
    assert duplicate.merged_into == keep
    assert "G. Conte" in keep.alias_list()
    assert keep.same_as == "https://www.wikidata.org/wiki/Q2"
    assert claimant_find(name="G. Conte") == keep
    reasons = [entry.history_change_reason for entry in keep.history.all()]
    assert any("Merged" in (reason or "") for reason in reasons)
    assert keep.history.first().history_user == editor


def test_a_merged_record_cannot_be_merged_again():
    keep, duplicate = claimant_create(name="A"), claimant_create(name="B")
    claimant_merge(keep=keep, duplicate=duplicate)
    with pytest.raises(ValidationError):
        claimant_merge(keep=keep, duplicate=duplicate)


def test_data_migration_makes_records_from_free_text_without_loss():
    Outlet.objects.create(name="The Wall Street Journal", domain="wsj.com")
    one = make_claim(claimant="Kazakh government official")
    two = make_claim(
        claimant="kazakh government official",
        claimant_url="",
        attribution="a Kazakh official, as reported by the Wall Street Journal",
    )
    org = make_claim(claimant="ISTAT", claimant_url="https://www.wikidata.org/wiki/Q214195")
    Claim.objects.update(speaker=None)
    Claim.objects.filter(pk=org.pk).update(claimant_is_organization=True)
    AttributionLink.objects.all().delete()
    Claimant.objects.all().delete()
    migration = importlib.import_module("claims.migrations.0010_claimants_from_text")

    migration.forward(apps, None)

    claims = {claim.pk: claim for claim in Claim.objects.select_related("speaker")}
    assert claims[one.pk].speaker == claims[two.pk].speaker
    assert claims[one.pk].claimant == "Kazakh government official"  # the text is kept
    assert claims[org.pk].speaker.kind == ClaimantKind.ORGANIZATION
    assert claims[org.pk].speaker.same_as == "https://www.wikidata.org/wiki/Q214195"
    chain = list(AttributionLink.objects.filter(claim=two).select_related("outlet"))
    assert [link.label for link in chain] == ["a Kazakh official", "the Wall Street Journal"]
    assert chain[1].outlet.domain == "wsj.com"

    # Run again (as after going back and forth): the records are linked, not made twice.
    records = Claimant.objects.count()
    Claim.objects.update(speaker=None)
    AttributionLink.objects.all().delete()
    migration.forward(apps, None)
    assert Claimant.objects.count() == records
    assert Claim.objects.get(pk=one.pk).speaker_id == claims[one.pk].speaker_id

    # Back: a claim linked only through the record gets its text fields back.
    Claim.objects.filter(pk=org.pk).update(claimant="", claimant_url="")
    migration.backward(apps, None)
    org_back = Claim.objects.get(pk=org.pk)
    assert (org_back.claimant, org_back.claimant_url, org_back.claimant_is_organization) == (
        "ISTAT",
        "https://www.wikidata.org/wiki/Q214195",
        True,
    )


def test_renaming_the_claimant_relinks_the_claim(editor):
    claim = make_claim(claimant="Carlo Calenda")
    claim = services.claim_update(claim=claim, actor=None, claimant="Matteo Renzi")
    assert claim.speaker.name == "Matteo Renzi"


def test_demo_names_who_said_what_where_the_article_does(demo):
    official = Claimant.objects.get(name="Kazakh government official")
    assert official.claims.count() == 2
    assert not Claimant.objects.filter(name__iexact="the article").exists()
    claim = official.claims.get(attribution__startswith="as reported")
    chain = list(claim.attribution_chain.select_related("outlet"))
    assert chain[0].claimant == official
    assert chain[1].outlet.domain == "wsj.com"


def test_an_untidy_claimant_name_still_links_a_record():
    claim = make_claim(claimant="Mario\tRossi\x07 ")
    assert claim.speaker.name == "Mario Rossi"


def _review(url, author):
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": "Unemployment fell to 6.1% in 2023.",
        "datePublished": "2024-03-01",
        "reviewRating": {"@type": "Rating", "alternateName": "Falso"},
        "itemReviewed": {"@type": "Claim", "author": author},
    }


def test_imported_claimreviews_link_or_create_claimants_from_the_author(editor):
    from claims.services.importing import claimreview_import

    wikidata = "https://www.wikidata.org/wiki/Q3847"
    first = _review(
        "https://factcheck.example/a",
        {"@type": "Person", "name": "Matteo Renzi", "sameAs": wikidata},
    )
    second = _review(
        "https://factcheck.example/b", {"@type": "Person", "name": "Renzi", "sameAs": wikidata}
    )
    organisation = _review(
        "https://factcheck.example/c", {"@type": "Organization", "name": "Banca d'Italia"}
    )
    report = claimreview_import(document=[first, second, organisation], actor=editor)
    assert report.count("created") == 3
    claims = Claim.objects.order_by("pk").select_related("speaker")
    assert claims[0].speaker == claims[1].speaker
    assert claims[0].speaker.same_as == wikidata
    assert claims[2].speaker.kind == ClaimantKind.ORGANIZATION
    # Importing again changes nothing (the speaker compares equal).
    again = claimreview_import(document=[first, second, organisation], actor=editor)
    assert again.count("unchanged") == 3
