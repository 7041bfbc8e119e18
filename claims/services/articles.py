from datetime import date

from django.db import transaction

from sources.models import Outlet

from ..models import Article, ArticleRevision, DatePrecision
from .slugs import unique_slug


@transaction.atomic
def article_create(
    *,
    title: str,
    text: str,
    language: str,
    url: str = "",
    outlet: Outlet | None = None,
    published_on: date | None = None,
    published_precision: str = DatePrecision.DAY,
    byline: str = "",
    slug: str = "",
    origin: str = ArticleRevision.Origin.PASTED,
    created_by=None,
) -> Article:
    """Create an article and its first revision."""
    article = Article(
        title=title,
        slug=slug or unique_slug(Article, title),
        url=url,
        outlet=outlet,
        language=language,
        published_on=published_on,
        published_precision=published_precision,
        byline=byline,
        text=text,
        created_by=created_by,
    )
    article.full_clean()
    article.save()
    ArticleRevision.objects.create(
        article=article,
        number=1,
        text=text,
        origin=origin,
        fetched_url=url if origin == ArticleRevision.Origin.FETCHED else "",
        created_by=created_by,
    )
    return article
