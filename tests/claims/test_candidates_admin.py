import pytest
from django.urls import reverse

from claims.choices import AnchorState
from claims.models import ClaimCandidate
from claims.services.candidates import candidates_refresh
from tests.factories import ArticleFactory

TEXT = (
    "Exports rose by 12 per cent in 2023, the ministry said. "
    "The weather was pleasant in the capital. "
    "Unemployment fell to 4.2% in March, according to the statistics office."
)


@pytest.fixture
def article(db):
    article = ArticleFactory(text=TEXT)
    candidates_refresh(article=article)
    return article


def test_suggestions_page_highlights_each_span_with_its_reasons(
    client, fact_checker, article, django_assert_max_num_queries
):
    client.force_login(fact_checker)
    url = reverse("admin:claims_article_suggestions", args=[article.pk])
    # session, user, user's permissions and groups' (2), article, open candidates, decided count.
    # "Checked before?" is fetched from the API when opened, so it adds none.
    with django_assert_max_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for candidate in article.candidates.all():
        assert f'<mark id="c{candidate.pk}"' in html
    assert "an attribution" in html and "Make it a claim" in html
    assert 'data-similar="Exports rose by 12 per cent in 2023, the ministry said."' in html


def test_one_click_turns_a_suggestion_into_an_anchored_claim(client, fact_checker, article):
    client.force_login(fact_checker)
    candidate = article.candidates.order_by("start").first()
    url = reverse(
        "admin:claims_article_suggestion_decide", args=[article.pk, candidate.pk, "accept"]
    )
    response = client.post(url, follow=True)
    assert "Claim created" in response.content.decode()
    claim = article.claims.get()
    assert claim.quote == candidate.text and claim.anchor_state == AnchorState.EXACT
    assert claim.created_by == fact_checker


def test_dismissing_needs_a_post_and_records_who(client, fact_checker, article):
    client.force_login(fact_checker)
    candidate = article.candidates.order_by("start").first()
    url = reverse(
        "admin:claims_article_suggestion_decide", args=[article.pk, candidate.pk, "dismiss"]
    )
    assert client.get(url).status_code == 405
    client.post(url)
    candidate.refresh_from_db()
    assert candidate.decision == ClaimCandidate.Decision.DISMISSED
    assert candidate.decided_by == fact_checker


def test_a_stale_suggestion_shows_an_error_not_a_500(client, fact_checker, article):
    client.force_login(fact_checker)
    candidate = article.candidates.order_by("start").first()
    type(article).objects.filter(pk=article.pk).update(text="Changed. " + TEXT)
    url = reverse(
        "admin:claims_article_suggestion_decide", args=[article.pk, candidate.pk, "accept"]
    )
    response = client.post(url, follow=True)
    assert "changed since this suggestion" in response.content.decode()
    assert not article.claims.exists()


def test_refresh_runs_the_detector_again(client, fact_checker, article):
    client.force_login(fact_checker)
    ClaimCandidate.objects.all().delete()
    client.post(reverse("admin:claims_article_suggestions_refresh", args=[article.pk]))
    assert article.candidates.count() == 2


def test_anonymous_visitors_are_sent_to_login(client, article):
    response = client.get(reverse("admin:claims_article_suggestions", args=[article.pk]))
    assert response.status_code == 302 and "/login/" in response.url


def test_article_page_links_to_suggestions_and_text_update(client, fact_checker, article):
    client.force_login(fact_checker)
    html = client.get(reverse("admin:claims_article_change", args=[article.pk])).content.decode()
    assert reverse("admin:claims_article_suggestions", args=[article.pk]) in html
    assert reverse("admin:claims_article_update_text", args=[article.pk]) in html


def test_the_plain_article_form_cannot_change_the_text(client, fact_checker, article):
    client.force_login(fact_checker)
    url = reverse("admin:claims_article_change", args=[article.pk])
    assert 'name="text"' not in client.get(url).content.decode()


def test_the_suggestion_list_reads_strongest_first(client, fact_checker, db):
    text = (
        "The mayor opened a new bridge on Monday. "
        "Unemployment fell to 4.2% in March, down from 5.1% a year earlier, the office said."
    )
    article = ArticleFactory(text=text)
    weak, strong = sorted(candidates_refresh(article=article), key=lambda c: c.start)
    assert strong.score > weak.score
    client.force_login(fact_checker)
    html = client.get(reverse("admin:claims_article_suggestions", args=[article.pk])).content
    listed = html.decode().split('class="fd-candidates"')[1]
    assert listed.index(f'href="#c{strong.pk}"') < listed.index(f'href="#c{weak.pk}"')
