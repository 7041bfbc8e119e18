"""Writes for outlets and sources: every door finds-or-creates through these."""

from urllib.parse import urlsplit

from django.db import transaction

from lib.text import strip_bidi_controls

from .models import Outlet, Source
from .normalization import normalize_domain, normalize_url


@transaction.atomic
def outlet_get_or_create(*, domain: str, name: str = "", **fields) -> tuple[Outlet, bool]:
    """The outlet for a domain (any spelling: "https://www.WSJ.com/x" is wsj.com)."""
    domain = normalize_domain(domain)
    outlet, created = Outlet.objects.get_or_create(
        domain=domain, defaults={"name": strip_bidi_controls(name) or domain, **fields}
    )
    return outlet, created


@transaction.atomic
def source_get_or_create(*, url: str, with_outlet: bool = True, **fields) -> tuple[Source, bool]:
    """The source stored for this page, created if new; the same page is never stored twice.

    With `with_outlet`, a new source is attached to the outlet of its domain (created as
    unrated when the desk has not met it before).
    """
    normalized = normalize_url(url)
    existing = Source.objects.filter(normalized_url=normalized).first()
    if existing is not None:
        return existing, False
    if with_outlet and "outlet" not in fields:
        fields["outlet"], _ = outlet_get_or_create(domain=urlsplit(normalized).hostname)
    source = Source(url=url, **fields)
    source.full_clean()
    source.save()
    return source, True
