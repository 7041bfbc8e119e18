"""sitemap.xml: every published claim in each language it is written in, every article with
one and the fixed pages in each interface language (with hreflang alternates)."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Prefetch
from django.urls import reverse

from claimants.models import Claimant
from lib.site_url import site_url

from . import translations, visibility
from .models import ClaimTranslation


class ReaderSitemap(Sitemap):
    """Each address in every interface language, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True

    # The site's one rule for absolute links (lib/site_url.py), not the request's host.
    def get_protocol(self, protocol=None):
        return urlsplit(site_url()).scheme

    def get_domain(self, site=None):
        return urlsplit(site_url()).netloc


class ClaimSitemap(ReaderSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            visibility.public_claims()
            .only("slug", "updated_at", "language")
            .prefetch_related(
                Prefetch("translations", ClaimTranslation.objects.only("claim", "language"))
            )
            .order_by("-published_at")
        )

    def get_languages_for_item(self, claim):
        # Only the languages the check is written in: a page that would say "not yet
        # translated" is no alternate.
        return translations.languages_of(claim)

    def lastmod(self, claim):
        return claim.updated_at


class ArticleSitemap(ReaderSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            # Each public article, stamped with its latest published claim's change.
            visibility.public_articles()
            .annotate(
                checked_at=Max(
                    "claims__updated_at", filter=visibility.public_claim_condition("claims__")
                )
            )
            .only("slug")
            .order_by("-checked_at")
        )

    def lastmod(self, article):
        return article.checked_at


class ClaimantSitemap(ReaderSitemap):
    changefreq = "weekly"

    def items(self):
        # Each claimant with a public page, stamped with their latest published claim's change.
        return (
            Claimant.objects.current()
            .annotate(
                checked_at=Max(
                    "claims__updated_at", filter=visibility.public_claim_condition("claims__")
                )
            )
            .filter(checked_at__isnull=False)
            .only("slug")
            .order_by("-checked_at", "pk")
        )

    def lastmod(self, claimant):
        return claimant.checked_at


class PageSitemap(ReaderSitemap):
    changefreq = "daily"

    def items(self):
        return [
            *("claims:home", "claims:list", "claims:claimants", "claims:articles"),
            *("claims:methodology", "claims:corrections"),
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "claims": ClaimSitemap,
    "articles": ArticleSitemap,
    "claimants": ClaimantSitemap,
    "pages": PageSitemap,
}
