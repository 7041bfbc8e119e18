"""The public pages: what readers see, what they never see, and what each page costs."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.template.backends.jinja2 import Jinja2
from django.urls import reverse
from django.utils import timezone

from claims import services, visibility
from claims.models import Claim, ClaimStatus, Correction, Topic, VerdictRating
from sources.models import Reliability
from tests.factories import (
    ArticleFactory,
    OutletFactory,
    SourceFactory,
    make_claim,
    make_published_claim,
    verdict,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(fact_checker, editor):
    """Publish a claim through the real workflow: publish(quote=..., article=..., ...)."""

    def _publish(**fields):
        return make_published_claim(checker=fact_checker, editor=editor, **fields)

    return _publish


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Visibility ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [ClaimStatus.NEW, ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW, ClaimStatus.DISMISSED],
)
def test_unpublished_claims_are_not_found_on_any_public_url(client, demo, status):
    claim = Claim.objects.filter(status=status).first()
    assert client.get(reverse("claims:claim", kwargs={"slug": claim.slug})).status_code == 404
    embed = reverse("claims:claim_embed", kwargs={"slug": claim.slug})
    assert client.get(embed).status_code == 404
    page_url = "http://testserver" + reverse("claims:claim", kwargs={"slug": claim.slug})
    assert client.get(reverse("oembed"), {"url": page_url}).status_code == 404
    for url in ["/en/", "/en/claims/", demo.article.get_absolute_url(), "/sitemap.xml"]:
        assert claim.slug not in client.get(url).content.decode()
    assert claim.claim_reviewed not in client.get("/en/feeds/verdicts.rss").content.decode()


def test_an_article_without_published_checks_is_not_public(client, fact_checker):
    claim = make_claim(created_by=fact_checker)
    assert client.get(claim.article.get_absolute_url()).status_code == 404


def test_home_lists_latest_verdicts_and_offers_search(client, publish):
    claim = publish(claim_reviewed="Unemployment fell to 6.1% in 2023")
    body = html(client.get("/en/"))
    assert claim.get_absolute_url() in body
    assert 'role="search"' in body
    assert reverse("claims:methodology") in body


# --- Claim page ---------------------------------------------------------------------------


def test_claim_page_shows_the_claim_verdict_meaning_evidence_and_dates(client, publish):
    outlet = OutletFactory(
        name="Stat Office", reliability=Reliability.RELIABLE, reliability_note="Official."
    )
    dead = SourceFactory(
        title="Gone report",
        outlet=outlet,
        link_status_code=404,
        archive_url="https://web.archive.org/web/2023/https://data.example/gone",
    )
    claim = publish(claimant="The minister", attribution="in a TV interview")
    services.evidence_add(claim=claim, source=dead, stance="supports", excerpt="6.1 per cent")
    body = html(client.get(claim.get_absolute_url()))
    assert "The minister" in body and "in a TV interview" in body
    assert "unemployment fell to 6.1% in 2023" in body
    assert "False" in body and verdict("false").description_en in body
    # The sentence in its paragraph, with the quote marked.
    assert "<mark>unemployment fell to 6.1% in 2023</mark>, the lowest since 2008." in body
    # Evidence grouped by stance, with the excerpt, the outlet's reliability, the dead link
    # flagged and its archived copy offered.
    assert body.index(">Supports</h3>") < body.index(">Refutes</h3>")
    assert "The figure was 7.4%." in body
    assert "Reliability: Reliable" in body
    assert "Link no longer works" in body
    assert dead.archive_url in body
    # The Italian page shows the check once it is written in Italian, in Italian around it.
    services.claim_translation_set(
        claim=claim,
        language="it",
        claim_reviewed="La disoccupazione è scesa al 6,1% nel 2023.",
        rationale="Era al 7,4%.",
        actor=None,
    )
    italian = html(client.get(claim.get_absolute_url().replace("/en/", "/it/")))
    assert "Affidabilità: Affidabile" in italian and "Il link non funziona più" in italian
    assert re.search(r'Published <time datetime="[^"]+">[\w.]+ \d+, \d{4}</time>', body)


RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: everything after it on the line reads backwards


def test_bidi_controls_in_a_claimant_are_removed_when_saved(fact_checker):
    claim = make_claim(claimant=f"Dr {RLO}Evil", attribution=f"on {RLO}TV", created_by=fact_checker)
    claim.refresh_from_db()
    assert (claim.claimant, claim.attribution) == ("Dr Evil", "on TV")
    claim = services.claim_update(claim=claim, actor=fact_checker, claimant=f"{RLO}The minister")
    claim.refresh_from_db()
    assert claim.claimant == "The minister"


def meta_content(body: str, attribute: str, name: str) -> str:
    return re.search(rf'<meta {attribute}="{name}" content="([^"]*)"', body).group(1)


def test_the_claim_page_isolates_the_claimants_name_and_keeps_controls_out_of_previews(
    client, publish
):
    claim = publish(claimant=f"Dr {RLO}Evil")
    body = html(client.get(claim.get_absolute_url()))
    assert RLO not in body
    # The name links to the claimant's page, still isolated.
    assert f'— <a href="{claim.speaker.get_absolute_url()}"><bdi>Dr Evil</bdi></a>' in body
    assert meta_content(body, "property", "og:description").startswith("Dr Evil: ")

    # A name stored before controls were removed on save, and a wording (a sentence, where
    # they may be meant, so kept): the page isolates the name, and the plain-text places
    # (previews, the title, JSON-LD) drop the controls.
    cache.clear()
    Claim.objects.filter(pk=claim.pk).update(
        claimant=f"Dr {RLO}Evil", claim_reviewed=f"Unemployment {RLO}fell"
    )
    body = html(client.get(claim.get_absolute_url()))
    assert f"<bdi>Dr {RLO}Evil</bdi></a>" in body
    for attribute, name in [
        ("property", "og:title"),
        ("property", "og:description"),
        ("name", "twitter:title"),
        ("name", "twitter:description"),
        ("name", "description"),
    ]:
        assert RLO not in meta_content(body, attribute, name), name
    assert meta_content(body, "property", "og:description").startswith("Dr Evil: ")
    head = body[: body.index("</head>")]
    assert RLO not in head  # <title>, the oEmbed link and the ClaimReview JSON-LD too
    assert '"name": "Dr Evil"' in head or '"name":"Dr Evil"' in head


def test_claim_page_lists_corrections_and_other_sightings(client, publish, editor):
    first = publish(claim_reviewed="Unemployment fell to 6.1%")
    second = publish(claim_reviewed="Unemployment is at 6.1%, says minister")
    Claim.objects.filter(pk=second.pk).update(canonical=first)
    draft = make_claim(claim_reviewed="A draft sighting")
    Claim.objects.filter(pk=draft.pk).update(canonical=first)
    Correction.objects.create(
        claim=second,
        note="We misread the table.",
        previous_verdict=verdict("true"),
        new_verdict=verdict("false"),
        corrected_by=editor,
    )
    body = html(client.get(second.get_absolute_url()))
    assert "We misread the table." in body
    assert "verdict changed from True to False." in body
    assert first.get_absolute_url() in body  # also seen in
    assert draft.slug not in body
    assert second.get_absolute_url() in html(client.get(first.get_absolute_url()))


def test_claim_page_query_count_is_constant(client, publish, editor, django_assert_max_num_queries):
    def page_with(extra: int) -> Claim:
        claim = publish()
        for n in range(extra):
            services.evidence_add(claim=claim, source=SourceFactory(), stance="context")
            Correction.objects.create(claim=claim, note="Fixed a typo.", corrected_by=editor)
            claim.topics.add(Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}-{extra}"))
            other = publish()
            Claim.objects.filter(pk=other.pk).update(canonical=claim)
        return claim

    for claim in (page_with(1), page_with(6)):
        # 1 claim + verdict + article + outlet + the rating scale's bounds, 2 evidence +
        # sources + outlets, 3 corrections + their verdicts, 4 topics, 5 also-seen claims.
        with django_assert_max_num_queries(5):
            body = html(client.get(claim.get_absolute_url()))
        assert "Fixed a typo." in body and "Topic 0" in body
    # A claim with no corrections, topics or other sightings: those three queries are skipped.
    lone = publish()
    with django_assert_max_num_queries(2):
        body = html(client.get(lone.get_absolute_url()))
    assert "No corrections." in body and "Topics" not in body


# --- Hostile input --------------------------------------------------------------------------

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_claim_fields_render_as_text(client, fact_checker, editor):
    article = ArticleFactory(text=f"He said {XSS} on air.")
    claim = make_published_claim(
        checker=fact_checker,
        editor=editor,
        article=article,
        quote=XSS,
        claim_reviewed='<b onmouseover="x">Bold</b>',
        claimant="<script>evil()</script>",
    )
    services.claim_correct(
        claim=claim,
        actor=editor,
        note="Rationale rewritten.",
        rationale=f"**Data** says no. {XSS} [click](javascript:alert(1)) [ok](https://ok.example)",
    )
    for url in (claim.get_absolute_url(), article.get_absolute_url(), "/en/"):
        body = html(client.get(url))
        assert "<script>alert" not in body and "<script>evil" not in body
        assert "<img src=x" not in body and '<b onmouseover="x">' not in body
        assert "javascript:" not in body
    body = html(client.get(claim.get_absolute_url()))
    assert "&lt;script&gt;evil()&lt;/script&gt;" in body
    assert "<strong>Data</strong>" in body
    assert 'href="https://ok.example"' in body
    # JSON-LD cannot close its script element early.
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    assert "<" not in ld


def test_pages_carry_a_csp_without_inline_script_and_no_inline_code(client, publish):
    claim = publish()
    for url in (claim.get_absolute_url(), claim.article.get_absolute_url(), "/en/claims/"):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        body = html(response)
        # No element carries a style attribute (the embed snippet shows one, as escaped text).
        assert not re.search(r"<[a-z][^<>]*\sstyle=", body)
        scripts = re.findall(r"<script([^>]*)>", body)
        assert all("src=" in attrs or "application/ld+json" in attrs for attrs in scripts)


# --- Article page ---------------------------------------------------------------------------


def test_article_page_highlights_each_published_claim_with_a_labelled_marker(client, demo):
    body = html(client.get(demo.article.get_absolute_url()))
    published = list(visibility.public_claims().filter(article=demo.article))
    markers = re.findall(r'<a class="marker verdict-[\w-]+" id="check-ref-(\d+)"', body)
    assert len(markers) == len(published)
    for claim in published:
        # The verdict is in words next to the number, not only in the colour.
        assert claim.verdict.label_en in body
        assert claim.get_absolute_url() in body


def test_overlapping_and_nested_anchors_render_as_valid_html(client, fact_checker, editor):
    article = ArticleFactory()
    outer = make_published_claim(
        checker=fact_checker,
        editor=editor,
        article=article,
        quote="The minister said unemployment fell to 6.1% in 2023",
    )
    inner = make_published_claim(checker=fact_checker, editor=editor, article=article)
    overlapping = make_published_claim(
        checker=fact_checker,
        editor=editor,
        article=article,
        quote="in 2023, the lowest since 2008",
        verdict_code="true",
    )
    body = html(client.get(article.get_absolute_url()))
    text = re.search(r'<div class="article-text".*?</div>', body, re.S).group(0)
    checker = TagBalance()
    checker.feed(text)
    assert checker.errors == []
    # Every character of the article is shown once, in order.
    plain = re.sub(r'<a class="marker.*?</a>', "", text)
    plain = re.sub(r"<[^>]+>", "", plain).strip()
    assert plain == article.text
    # Three markers; "in 2023" is covered by all three anchors.
    assert len(re.findall(r'class="marker ', text)) == 3
    assert 'data-checks="1 2 3"' in text
    # The innermost anchor gives the colour where anchors nest.
    assert f'class="check verdict-{inner.verdict.code} check-nested"' in text
    assert overlapping.get_absolute_url() in body and outer.get_absolute_url() in body


class TagBalance(HTMLParser):
    VOID = {"br", "img", "input", "meta", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def test_article_page_query_count_is_constant(
    client, fact_checker, editor, django_assert_max_num_queries
):
    quotes = ["unemployment fell to 6.1% in 2023", "exports rose by 12 per cent"]
    for size in (1, 6):
        article = ArticleFactory()
        for number in range(size):
            make_published_claim(
                checker=fact_checker, editor=editor, article=article, quote=quotes[number % 2]
            )
        # 1 article + outlet, 2 its published claims with verdicts, 3 their translations
        # into the reader's language.
        with django_assert_max_num_queries(3):
            body = html(client.get(article.get_absolute_url()))
        assert body.count('class="marker ') == size


# --- Claims list, filters, search -------------------------------------------------------------


def test_claims_list_filters_by_verdict_topic_outlet_language_and_date(client, publish):
    economy = Topic.objects.create(name="Economy", slug="economy")
    outlet = OutletFactory(domain="daily.example")
    true_claim = publish(verdict_code="true", claim_reviewed="Exports rose by 12 per cent")
    true_claim.topics.add(economy)
    false_claim = publish(claim_reviewed="Unemployment fell")
    it_claim = publish(claim_reviewed="La disoccupazione è scesa", language="it")
    Claim.objects.filter(pk=it_claim.pk).update(published_at=timezone.now() - timedelta(days=30))
    article = false_claim.article
    article.outlet = outlet
    article.save()

    def listed(**params):
        body = html(client.get("/en/claims/", params))
        return {c.pk for c in (true_claim, false_claim, it_claim) if c.get_absolute_url() in body}

    assert listed() == {true_claim.pk, false_claim.pk, it_claim.pk}
    assert listed(verdict="true") == {true_claim.pk}
    assert listed(topic="economy") == {true_claim.pk}
    assert listed(outlet="daily.example") == {false_claim.pk}
    assert listed(language="it") == {it_claim.pk}
    since = (timezone.now() - timedelta(days=7)).date().isoformat()
    assert listed(since=since) == {true_claim.pk, false_claim.pk}


def test_claims_list_refuses_a_malformed_date_with_a_message(client):
    response = client.get("/en/claims/", {"since": "last tuesday"})
    assert response.status_code == 400
    assert "is not a date: use YYYY-MM-DD" in response.content.decode()


def test_claims_list_is_newest_first_and_paginated(client, publish):
    claims = [publish(claim_reviewed=f"Claim number {n}") for n in range(22)]
    first = html(client.get("/en/claims/"))
    assert first.index(claims[-1].get_absolute_url()) < first.index(claims[-2].get_absolute_url())
    assert claims[0].get_absolute_url() not in first
    assert claims[0].get_absolute_url() in html(client.get("/en/claims/", {"page": 2}))


def test_search_finds_words_in_the_wording_quote_or_claimant(client, publish):
    hit = publish(claim_reviewed="Exports rose sharply", claimant="Maria Rossi")
    miss = publish(claim_reviewed="Unemployment fell")
    body = html(client.get("/en/claims/", {"q": "Rossi"}))
    assert hit.get_absolute_url() in body and miss.get_absolute_url() not in body


@pytest.mark.postgres
def test_search_stems_in_the_claim_language(client, fact_checker, editor):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("full-text search needs PostgreSQL")
    article = ArticleFactory(
        language="it", text="Il ministro ha detto che le esportazioni crescono."
    )
    claim = make_published_claim(
        checker=fact_checker,
        editor=editor,
        article=article,
        quote="le esportazioni crescono",
        claim_reviewed="Le esportazioni crescono",
    )
    # "esportazione" (singular) matches "esportazioni" through the Italian stemmer.
    body = html(client.get("/it/claims/", {"q": "esportazione"}))
    assert claim.get_absolute_url() in body
    assert claim.get_absolute_url() not in html(client.get("/it/claims/", {"q": "importazioni"}))


def test_list_page_query_count_is_constant(client, publish, django_assert_max_num_queries):
    for size in (1, 5):
        for _ in range(size):
            publish()
        # 1 count, 2 page of claims with verdict/article/outlet, 3 their translations into
        # the reader's language, 4-7 filter choices (verdicts, topics, outlets, languages;
        # then cached); on PostgreSQL 8 the statement timeout, 9-10 its transaction's
        # savepoint and release inside the test's transaction.
        with django_assert_max_num_queries(10):
            html(client.get("/en/claims/", {"page": 1, "size": size}))


# --- Fixed pages ----------------------------------------------------------------------------


def test_methodology_explains_every_rating_in_scale_order_and_the_corrections_policy(client):
    body = html(client.get("/en/methodology/"))
    positions = []
    for rating in VerdictRating.objects.filter(is_active=True).order_by("order"):
        assert rating.description_en in body
        positions.append(body.index(f'id="rating-{rating.code}"'))
    assert len(positions) >= 7 and positions == sorted(positions)
    assert 'id="corrections-policy"' in body


def test_corrections_page_lists_public_corrections_newest_first(client, publish, fact_checker):
    claim = publish()
    older = Correction.objects.create(
        claim=claim, note="Older note.", created_at=timezone.now() - timedelta(days=2)
    )
    newer = Correction.objects.create(claim=claim, note="Newer note.")
    hidden = Correction.objects.create(claim=make_claim(), note="Not public yet.")
    body = html(client.get("/en/corrections/"))
    assert body.index(newer.note) < body.index(older.note)
    assert hidden.note not in body


# --- Embedding ------------------------------------------------------------------------------


def test_embed_card_may_be_framed_by_other_sites(client, publish):
    claim = publish()
    response = client.get(reverse("claims:claim_embed", kwargs={"slug": claim.slug}))
    body = html(response)
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert claim.claim_reviewed in body and "False" in body
    # Every other page refuses to be framed.
    assert client.get(claim.get_absolute_url())["X-Frame-Options"] == "DENY"


def test_oembed_describes_a_rich_card_for_a_claim_page(client, publish):
    claim = publish()
    url = "http://testserver" + claim.get_absolute_url()  # the address the request came to
    data = client.get(reverse("oembed"), {"url": url, "maxwidth": 300}).json()
    assert data["type"] == "rich" and data["version"] == "1.0"
    assert data["width"] == 300
    assert reverse("claims:claim_embed", kwargs={"slug": claim.slug}) in data["html"]
    elsewhere = "https://elsewhere.example" + claim.get_absolute_url()
    assert client.get(reverse("oembed"), {"url": elsewhere}).status_code == 400
    assert client.get(reverse("oembed")).status_code == 400
    assert client.get(reverse("oembed"), {"url": url, "format": "xml"}).status_code == 501


def test_reader_templates_render_a_missing_value_empty_even_with_debug_on(settings):
    # Django's Jinja2 backend would print "{{ no such element }}" markers with DEBUG on.
    settings.DEBUG = True
    engine = Jinja2(
        {
            "NAME": "reader-debug",
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {"environment": "factdesk.jinja2.environment"},
        }
    )
    template = engine.from_string('<p class="verdict-{{ claim.verdict.code }}">{{ missing }}</p>')
    assert template.render({"claim": SimpleNamespace(verdict=None)}) == '<p class="verdict-"></p>'
