from django.shortcuts import render

from . import selectors


def home(request):
    return render(request, "claims/home.html", {"claims": selectors.published_claims()[:20]})


def claim_detail(request, slug):
    return render(request, "claims/claim_detail.html", {"claim": selectors.claim_page_data(slug)})


def article_detail(request, slug):
    article, claims = selectors.article_page_data(slug)
    return render(
        request,
        "claims/article_detail.html",
        {
            "article": article,
            "claims": claims,
            "segments": selectors.article_segments(article.text, claims),
        },
    )
