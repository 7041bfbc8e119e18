"""Links that work where the app runs: one rule for absolute URLs (lib/site_url.py), no
placeholder author URL, robots.txt, and the readers' index of checked articles."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from claims.caching import pages_changed
from tests.claims.test_feeds import parse
from tests.factories import ArticleFactory, OutletFactory, make_claim, make_published_claim

pytestmark = pytest.mark.django_db

DEV_HOST = "127.0.0.1:8410"


@pytest.fixture
def published(fact_checker, editor):
    return make_published_claim(checker=fact_checker, editor=editor)


def _every_absolute_link(client, claim, host) -> set[str]:
    """The scheme and host of every absolute link a reader or crawler gets."""
    headers = {"Host": host}
    page = client.get(claim.get_absolute_url(), headers=headers).content.decode()
    ld = json.loads(re.search(r'ld\+json">(.*?)</script>', page, re.S).group(1))
    links = [
        re.search(r'<link rel="canonical" href="([^"]+)"', page).group(1),
        re.search(r'og:url" content="([^"]+)"', page).group(1),
        ld["url"],
    ]
    rss = parse(client.get("/en/feeds/verdicts.rss", headers=headers).content)
    links += [rss.findtext("channel/link"), rss.findtext("channel/item/link")]
    sitemap = client.get("/sitemap.xml", headers=headers).content.decode()
    links += re.findall(r"<loc>([^<]+)</loc>", sitemap)
    robots = client.get("/robots.txt", headers=headers).content.decode()
    links += re.findall(r"Sitemap: (\S+)", robots)
    return {re.match(r"https?://[^/]+", link).group() for link in links}


def test_unset_site_url_links_to_where_the_app_runs(client, published, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert settings.FACTDESK_SITE_URL == ""
    assert _every_absolute_link(client, published, DEV_HOST) == {f"http://{DEV_HOST}"}


def test_configured_site_url_is_used_everywhere(client, published, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "checks.example"]
    settings.FACTDESK_SITE_URL = "https://checks.example"
    assert _every_absolute_link(client, published, DEV_HOST) == {"https://checks.example"}


def test_cached_pages_do_not_carry_one_hosts_links_to_another(client, published, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    url = published.get_absolute_url()
    client.get(url, headers={"Host": DEV_HOST})
    other = client.get(url, headers={"Host": "localhost:8000"}).content.decode()
    assert 'href="http://localhost:8000/' in other and DEV_HOST not in other


def test_author_url_is_left_out_unless_configured(client, published, settings):
    page = client.get(published.get_absolute_url()).content.decode()
    author = json.loads(re.search(r'ld\+json">(.*?)</script>', page, re.S).group(1))["author"]
    assert "url" not in author
    assert "factdesk.example" not in page
    settings.FACTDESK_ORGANIZATION_URL = "https://desk.example"
    pages_changed()  # a settings change is a deploy, which starts with fresh pages
    page = client.get(published.get_absolute_url()).content.decode()
    author = json.loads(re.search(r'ld\+json">(.*?)</script>', page, re.S).group(1))["author"]
    assert author["url"] == "https://desk.example"


def test_load_demo_prints_links_to_the_address_it_is_given(settings):
    settings.FACTDESK_SITE_URL = "http://127.0.0.1:8410"
    out = StringIO()
    call_command("load_demo", stdout=out)
    printed = re.findall(r"https?://\S+", out.getvalue())
    assert printed and all(link.startswith("http://127.0.0.1:8410/") for link in printed)


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_the_desk(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_article_index_lists_checked_articles_only(
    client, published, fact_checker, editor, django_assert_max_num_queries
):
    outlet = OutletFactory(name="Il Giornale di Prova")
    second = ArticleFactory(title="Second checked", outlet=outlet)
    make_published_claim(checker=fact_checker, editor=editor, article=second)
    draft = ArticleFactory(title="Only drafts here")
    make_claim(article=draft, created_by=fact_checker)
    # 1: the count for the paginator; 2: the page of articles with their outlets and counts.
    with django_assert_max_num_queries(2):
        body = client.get("/en/articles/").content.decode()
    assert "Second checked" in body and published.article.title in body
    assert "Only drafts here" not in body
    assert body.index("Second checked") < body.index(published.article.title)  # newest first
    assert "Il Giornale di Prova" in body and "1 claim checked" in body
    assert 'href="/en/articles/"' in body  # linked from every page's header
    assert "/en/articles/</loc>" in client.get("/sitemap.xml").content.decode()
