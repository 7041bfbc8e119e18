from django.shortcuts import render
from django.views.decorators.http import require_safe

from claims import selectors
from claims.caching import cached_page


@require_safe
@cached_page
def source_detail(request, pk):
    """A source readers can reach: one cited by at least one published claim."""
    source, citations = selectors.source_page_data(pk)
    return render(request, "sources/source_detail.html", {"source": source, "citations": citations})


@require_safe
@cached_page
def outlet_detail(request, domain):
    outlet, sources, claims = selectors.outlet_page_data(domain)
    return render(
        request,
        "sources/outlet_detail.html",
        {"outlet": outlet, "sources": sources, "claims": claims},
    )
