from django.urls import path

from lib.site_url import on_site

from . import feeds, site_pages, views
from .caching import cached_page

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.claim_list, name="list"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim"),
    path("claims/<slug:slug>/embed/", views.claim_embed, name="claim_embed"),
    path("articles/", site_pages.article_index, name="articles"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("outlets/<str:domain>/", views.outlet_detail, name="outlet"),
    path("claimants/", views.claimant_index, name="claimants"),
    path("claimants/<slug:slug>/", views.claimant_detail, name="claimant"),
    path(
        "claimants/<slug:slug>/feed.rss",
        cached_page(feeds.ClaimantFeed()),
        name="claimant_rss",
    ),
    path("methodology/", views.methodology, name="methodology"),
    path("corrections/", views.corrections, name="corrections"),
    path("feeds/verdicts.rss", cached_page(on_site(feeds.VerdictsFeed())), name="verdicts_rss"),
    path(
        "feeds/verdicts.atom", cached_page(on_site(feeds.VerdictsAtomFeed())), name="verdicts_atom"
    ),
    path(
        "feeds/corrections.rss",
        cached_page(on_site(feeds.CorrectionsFeed())),
        name="corrections_rss",
    ),
    path(
        "feeds/corrections.atom",
        cached_page(on_site(feeds.CorrectionsAtomFeed())),
        name="corrections_atom",
    ),
]
