"""Claimants' public pages: the report card, the index, the feed, the sitemap, the list filter."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from claimants.models import Claimant
from claimants.services import claimant_create, claimant_merge
from claims import services
from claims.models import Claim, ClaimStatus, VerdictRating
from claims.services.linking import claim_link_same
from tests.factories import make_published_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(fact_checker, editor):
    def _publish(**fields):
        return make_published_claim(checker=fact_checker, editor=editor, **fields)

    return _publish


def bulk_published(claimant: Claimant, count: int) -> None:
    """`count` published claims by `claimant`, across verdicts and years, written in bulk."""
    scale = list(VerdictRating.objects.filter(rating_value__isnull=False))
    now = timezone.now()
    Claim.objects.bulk_create(
        Claim(
            quote=f"Bulk claim {n}",
            claim_reviewed=f"Bulk claim {n}",
            claimant=claimant.name,
            speaker=claimant,
            language="en",
            status=ClaimStatus.PUBLISHED,
            verdict=scale[n % len(scale)],
            published_at=now - timedelta(days=n % 1500),
            slug=f"bulk-{claimant.pk}-{n}",
        )
        for n in range(count)
    )


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_claimant_page_shows_report_card_as_svg_with_text(client, publish):
    claim = publish(claimant="Giorgia Meloni", verdict_code="false")
    publish(claimant="Giorgia Meloni", verdict_code="false")
    publish(claimant="Giorgia Meloni", verdict_code="true")
    body = html(client.get(claim.speaker.get_absolute_url()))
    assert '<svg class="chart"' in body and 'role="img"' in body
    # The chart's description says every figure in words; the table repeats them.
    assert "<desc" in body and "3 checked claims." in body
    assert '<th scope="row">False</th><td>2</td><td>66.7%</td>' in body
    assert claim.claim_reviewed in body
    assert "cdn" not in body.lower()


def test_claimant_page_in_italian(client, publish):
    claim = publish(claimant="Giorgia Meloni", verdict_code="false")
    with translation.override("it"):
        url = claim.speaker.get_absolute_url()
    assert url.startswith("/it/")
    body = html(client.get(url))
    assert '<html lang="it">' in body


def test_unpublished_claims_do_not_count(client, fact_checker):
    claimant = claimant_create(name="Nobody Checked")
    services.claim_create(
        quote="q", claim_reviewed="Draft", speaker=claimant, language="en", created_by=fact_checker
    )
    assert client.get(claimant.get_absolute_url()).status_code == 404
    assert "Nobody Checked" not in html(client.get(reverse("claims:claimants")))


def test_repeated_claims_and_corrections_show(client, publish, editor):
    first = publish(claimant="Matteo Salvini", verdict_code="false")
    again = publish(claimant="Matteo Salvini", verdict_code="false")
    claim_link_same(claim=again, canonical=first, actor=editor)
    services.claim_correct(
        claim=Claim.objects.get(pk=first.pk),
        actor=editor,
        note="The figure was for 2022.",
        verdict=VerdictRating.objects.get(code="true"),
    )
    body = html(client.get(first.speaker.get_absolute_url()))
    assert "Said again" in body and again.get_absolute_url() in body
    assert "The figure was for 2022." in body


def test_merged_duplicate_address_leads_to_the_record_kept(client, publish):
    claim = publish(claimant="Giuseppe Conte")
    duplicate = claimant_create(name="G. Conte")
    keep = claim.speaker
    claimant_merge(keep=keep, duplicate=duplicate)
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()


def test_claimant_page_queries_do_not_grow_with_claims(client, django_assert_max_num_queries):
    small, large = claimant_create(name="Small Speaker"), claimant_create(name="Large Speaker")
    bulk_published(small, 3)
    bulk_published(large, 5000)
    for claimant in (small, large):
        # 1 claimant, 2 roles, 3 verdict counts, 4 the verdicts, 5 counts by year,
        # 6 repeated claims, 7 corrections, 8 paginator count, 9 the page of claims.
        with django_assert_max_num_queries(9):
            body = html(client.get(claimant.get_absolute_url()))
        assert claimant.name in body
    assert "5000 checked claims" in body


def test_index_lists_claimants_by_number_of_checks(client, django_assert_max_num_queries):
    few, many = claimant_create(name="Few Checks"), claimant_create(name="Many Checks")
    bulk_published(few, 2)
    bulk_published(many, 30)
    # 1 paginator count, 2 the page of claimants.
    with django_assert_max_num_queries(2):
        body = html(client.get(reverse("claims:claimants")))
    assert body.index("Many Checks") < body.index("Few Checks")
    assert "Few Checks" in html(client.get(reverse("claims:claimants") + "?q=few"))


def test_claimant_feed_has_only_their_claims(client, publish):
    mine = publish(claimant="Carlo Calenda")
    other = publish(claimant="Someone Else", quote="exports rose by 12 per cent")
    response = client.get(reverse("claims:claimant_rss", kwargs={"slug": mine.speaker.slug}))
    body = html(response)
    assert mine.get_absolute_url() in body and other.get_absolute_url() not in body


def test_sitemap_lists_claimants_with_published_claims(client, publish, fact_checker):
    claim = publish(claimant="Giorgia Meloni")
    hidden = claimant_create(name="Unpublished Person")
    services.claim_create(
        quote="q", claim_reviewed="d", speaker=hidden, language="en", created_by=fact_checker
    )
    body = html(client.get("/sitemap.xml"))
    assert claim.speaker.get_absolute_url() in body
    assert hidden.slug not in body


def test_claim_list_filters_by_claimant(client, publish):
    mine = publish(claimant="Giorgia Meloni")
    other = publish(claimant="Someone Else", quote="exports rose by 12 per cent")
    body = html(client.get(reverse("claims:list") + f"?claimant={mine.speaker.slug}"))
    assert mine.get_absolute_url() in body and other.get_absolute_url() not in body


def test_claim_list_refuses_a_malformed_claimant_with_a_message(client):
    response = client.get(reverse("claims:list") + "?claimant=<b>x</b>")
    assert response.status_code == 400
    assert "is not a claimant" in response.content.decode()


def test_charts_say_every_figure_and_escape_labels():
    from lib.charts import Bar, bar_chart

    svg = bar_chart([Bar("<b>False</b>", 3, "#9f1d20"), Bar("True", 1, "red")], title="T & U")
    assert "&lt;b&gt;False&lt;/b&gt;: 3; True: 1" in svg  # the <desc>
    assert 'fill="#9f1d20"' in svg and 'fill="red"' not in svg  # colours checked
    assert svg == bar_chart(
        [Bar("<b>False</b>", 3, "#9f1d20"), Bar("True", 1, "red")], title="T & U"
    )
