"""What a reader may see: the one place every door (pages, feeds, sitemaps, the API, "checked
before?") asks.

A reader sees published claims and what hangs off them, and nothing else:
  - articles with at least one published claim,
  - corrections of published claims,
  - evidence on published claims, and the sources it cites,
  - the outlets of those sources and of those articles.
A claim that was published and then taken down is a draft again: its article, corrections,
sources and outlet drop out of public view with it (unless another published claim holds them).

The desk (staff holding claims.view_claim, the same check for every API route) sees everything:
the `*_for(caller)` functions give each caller its view. Public pages always show the public
view, whoever reads them, since they are cached and shared.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from claimants.models import Claimant
from sources.models import Outlet, Source

from .choices import ClaimStatus
from .models import Article, Claim, Correction, Evidence

# The status a claim needs for readers to see it. Raw SQL passes it as a query parameter.
PUBLIC_STATUS = ClaimStatus.PUBLISHED
DESK_PERMISSION = "claims.view_claim"


def public_claim_condition(path: str = "") -> Q:
    """The condition on a claim reached through `path` ("claims__", "evidence__claim__") that
    makes it public: for conditional aggregates and filters across relations."""
    return Q(**{f"{path}status": PUBLIC_STATUS})


def is_public(claim: Claim) -> bool:
    return claim.status == PUBLIC_STATUS


# --- Who is asking --------------------------------------------------------------------------


def _user(caller):
    """`caller` is a user, a request (Django's or DRF's, whose user may come from an API key)
    or None."""
    return getattr(caller, "user", caller)


def sees_drafts(caller) -> bool:
    """The desk: staff who hold claims.view_claim. Staff without it (an accountant with admin
    access, a webmaster) see what readers see."""
    user = _user(caller)
    return bool(user and user.is_authenticated and user.is_staff and user.has_perm(DESK_PERMISSION))


# --- The public view ------------------------------------------------------------------------


def public_claims(claims: QuerySet | None = None) -> QuerySet:
    """Published claims (of `claims`, else of all claims)."""
    claims = Claim.objects.all() if claims is None else claims
    return claims.filter(public_claim_condition())


def public_articles() -> QuerySet:
    """Articles with at least one published claim."""
    return Article.objects.filter(Exists(public_claims().filter(article=OuterRef("pk"))))


def public_corrections() -> QuerySet:
    """Corrections of claims that are published now."""
    return Correction.objects.filter(claim__in=public_claims())


def public_evidence() -> QuerySet:
    """Evidence on published claims."""
    return Evidence.objects.filter(public_claim_condition("claim__"))


def public_sources() -> QuerySet:
    """Sources cited as evidence by at least one published claim."""
    return Source.objects.filter(Exists(public_evidence().filter(source=OuterRef("pk"))))


def public_outlets() -> QuerySet:
    """Outlets of public sources or of public articles."""
    return Outlet.objects.filter(
        Exists(public_sources().filter(outlet=OuterRef("pk")))
        | Exists(public_articles().filter(outlet=OuterRef("pk")))
    )


def public_claimants() -> QuerySet:
    """Claimants (not merged away) with at least one published claim."""
    return Claimant.objects.current().filter(Exists(public_claims().filter(speaker=OuterRef("pk"))))


# --- Each caller's view ---------------------------------------------------------------------


def claims_for(caller) -> QuerySet:
    return Claim.objects.all() if sees_drafts(caller) else public_claims()


def articles_for(caller) -> QuerySet:
    return Article.objects.all() if sees_drafts(caller) else public_articles()


def corrections_for(caller) -> QuerySet:
    return Correction.objects.all() if sees_drafts(caller) else public_corrections()


def sources_for(caller) -> QuerySet:
    return Source.objects.all() if sees_drafts(caller) else public_sources()


def outlets_for(caller) -> QuerySet:
    return Outlet.objects.all() if sees_drafts(caller) else public_outlets()


def claimants_for(caller) -> QuerySet:
    return Claimant.objects.all() if sees_drafts(caller) else public_claimants()
