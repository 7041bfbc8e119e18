from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from claims.models import Claim, Evidence

from .models import Outlet, Source


def source_detail(request, pk):
    """A source readers can reach: one cited by at least one published claim."""
    source = get_object_or_404(
        Source.objects.cited_by_published_claims().select_related("outlet"), pk=pk
    )
    citations = (
        Evidence.objects.filter(source=source, claim__in=Claim.objects.published())
        .select_related("claim__verdict")
        .order_by("-claim__published_at")
    )
    return render(request, "sources/source_detail.html", {"source": source, "citations": citations})


def outlet_detail(request, domain):
    outlet = get_object_or_404(Outlet, domain=domain)
    sources = (
        outlet.sources.cited_by_published_claims()
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(claim__status="published").select_related("claim"),
            )
        )
        .order_by("-published_on")
    )
    return render(request, "sources/outlet_detail.html", {"outlet": outlet, "sources": sources})
