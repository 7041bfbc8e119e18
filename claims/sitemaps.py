"""sitemap.xml: every published claim, every article with one, and the fixed pages,
in each interface language (with hreflang alternates)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .choices import ClaimStatus
from .models import Article, Claim


class ReaderSitemap(Sitemap):
    """Each address in every interface language, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class ClaimSitemap(ReaderSitemap):
    changefreq = "weekly"

    def items(self):
        return Claim.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, claim):
        return claim.updated_at


class ArticleSitemap(ReaderSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Article.objects.annotate(
                checked_at=Max("claims__updated_at", filter=Q(claims__status=ClaimStatus.PUBLISHED))
            )
            .filter(checked_at__isnull=False)
            .only("slug")
            .order_by("-checked_at")
        )

    def lastmod(self, article):
        return article.checked_at


class PageSitemap(ReaderSitemap):
    changefreq = "daily"

    def items(self):
        return ["claims:home", "claims:list", "claims:methodology", "claims:corrections"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"claims": ClaimSitemap, "articles": ArticleSitemap, "pages": PageSitemap}
