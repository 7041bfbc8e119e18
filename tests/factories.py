"""factory_boy factories. Claims are built through the services so they are anchored for real."""

import factory
from django.contrib.auth import get_user_model

from claims import services
from claims.models import Article, VerdictRating
from sources.models import Outlet, Source

ARTICLE_TEXT = (
    "The minister said unemployment fell to 6.1% in 2023, the lowest since 2008. "
    "According to Reuters, exports rose by 12 per cent. "
    "Critics say the figures are wrong."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://data.example/report-{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    outlet = factory.SubFactory(OutletFactory)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    language = "en"
    text = ARTICLE_TEXT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, so the article has its first revision like any real one.
        return services.article_create(**kwargs)


def make_claim(article=None, quote="unemployment fell to 6.1% in 2023", **fields):
    """An anchored claim in `article` (a fresh one by default)."""
    article = article or ArticleFactory()
    fields.setdefault("claim_reviewed", quote[:120])
    return services.claim_create(article=article, quote=quote, **fields)


def verdict(code: str) -> VerdictRating:
    return VerdictRating.objects.get(code=code)


def make_published_claim(*, checker, editor, verdict_code="false", **claim_fields):
    """A claim taken through research, review and publication by two different people."""
    claim = make_claim(created_by=checker, **claim_fields)
    claim = services.claim_start_research(claim=claim, actor=checker)
    services.evidence_add(
        claim=claim, source=SourceFactory(), stance="refutes", excerpt="The figure was 7.4%."
    )
    claim = services.claim_update(
        claim=claim, actor=checker, verdict=verdict(verdict_code), rationale="Official data differ."
    )
    claim = services.claim_submit_for_review(claim=claim, actor=checker)
    return services.claim_publish(claim=claim, actor=editor)
