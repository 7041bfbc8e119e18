"""What a reader may see, at every door: each public page and each API read route, against a
draft in every state that is not published, for every kind of caller (claims/visibility.py).

Each draft carries one made-up word in its wording, article title, source title, outlet name
and (when it has one) correction note, so a leak anywhere shows up as that word in a body.
"""

import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls import reverse as django_reverse
from rest_framework.test import APIClient

from api.models import KeyScope
from claimants.models import Claimant
from claims import services, visibility
from claims.choices import ClaimStatus
from claims.models import Correction
from claims.services.linking import claim_link_same
from claims.services.sightings import sighting_record
from sources.models import Outlet, Source
from tests.api.conftest import key_client
from tests.factories import ARTICLE_TEXT, make_claim, verdict

pytestmark = pytest.mark.django_db


# A draft in every state readers must not see; "unpublished" was public once and was taken
# down (its status is researching again, with a correction made while it was public).
DRAFT_WORDS = {
    ClaimStatus.NEW: "quokka",
    ClaimStatus.RESEARCHING: "narwhal",
    ClaimStatus.IN_REVIEW: "axolotl",
    ClaimStatus.DISMISSED: "pangolin",
    "unpublished": "okapi",
    # A new claim in the published claim's article: the article is public, this claim is not.
    "new in a public article": "tapir",
}
PUBLIC_WORD = "wombat"
DISMISSED_WORDS = {DRAFT_WORDS[ClaimStatus.DISMISSED]}
CORRECTED_WORDS = {DRAFT_WORDS["unpublished"]}
# Drafts with an article, source and outlet of their own (the last one shares the public ones).
OWN_ARTICLE_WORDS = set(DRAFT_WORDS.values()) - {DRAFT_WORDS["new in a public article"]}


def wording(word: str) -> str:
    return f"The {word} index rose by four points last spring"


@dataclass
class World:
    public: object  # the published claim
    drafts: dict  # word -> claim
    corrections: dict  # word -> correction


def _outlet_and_source(word):
    outlet = Outlet.objects.create(name=f"Outlet {word}", domain=f"{word}.example")
    source = Source.objects.create(
        url=f"https://{word}.example/report", title=f"Source {word}", outlet=outlet
    )
    return outlet, source


def _claim(word, actor, article=None, quote="exports rose by 12 per cent"):
    outlet, source = _outlet_and_source(word)
    if article is None:
        article = services.article_create(
            title=f"Article {word}",
            slug=f"article-{word}",
            text=ARTICLE_TEXT,
            language="en",
            outlet=outlet,
        )
    claim = make_claim(
        article=article,
        quote=quote,
        claim_reviewed=wording(word),
        claimant=f"Claimant {word}",
        created_by=actor,
    )
    services.evidence_add(claim=claim, source=source, stance="refutes", excerpt="It fell.")
    return claim


def _to_review(claim, checker):
    claim = services.claim_start_research(claim=claim, actor=checker)
    claim = services.claim_update(
        claim=claim, actor=checker, verdict=verdict("false"), rationale="Data differ."
    )
    return services.claim_submit_for_review(claim=claim, actor=checker)


@pytest.fixture
def world(fact_checker, editor) -> World:
    checker = fact_checker
    public = services.claim_publish(
        claim=_to_review(
            _claim(PUBLIC_WORD, checker, quote="unemployment fell to 6.1% in 2023"), checker
        ),
        actor=editor,
    )
    public = services.claim_correct(
        claim=public, actor=editor, note=f"Correction {PUBLIC_WORD}", rationale="Data differ more."
    )
    drafts = {}
    words = DRAFT_WORDS
    drafts[words[ClaimStatus.NEW]] = _claim(words[ClaimStatus.NEW], checker)
    researching = services.claim_start_research(
        claim=_claim(words[ClaimStatus.RESEARCHING], checker), actor=checker
    )
    # Another sighting of the published claim: its page lists published sightings only.
    drafts[words[ClaimStatus.RESEARCHING]] = claim_link_same(
        claim=researching, canonical=public, actor=editor
    )
    drafts[words[ClaimStatus.IN_REVIEW]] = _to_review(
        _claim(words[ClaimStatus.IN_REVIEW], checker), checker
    )
    drafts[words[ClaimStatus.DISMISSED]] = services.claim_dismiss(
        claim=_claim(words[ClaimStatus.DISMISSED], checker), actor=editor, reason="Not checkable."
    )
    word = words["unpublished"]
    taken_down = services.claim_publish(
        claim=_to_review(_claim(word, checker), checker), actor=editor
    )
    taken_down = services.claim_correct(
        claim=taken_down, actor=editor, note=f"Correction {word}", rationale="Data differ more."
    )
    drafts[word] = services.claim_unpublish(claim=taken_down, actor=editor, reason="Wrong data.")
    word = words["new in a public article"]
    drafts[word] = _claim(word, checker, article=public.article)
    corrections = {c.note.split()[-1]: c for c in Correction.objects.all()}
    assert {c.status for c in drafts.values()} == set(ClaimStatus) - {ClaimStatus.PUBLISHED}
    assert drafts[DRAFT_WORDS["unpublished"]].published_at is not None
    return World(public=public, drafts=drafts, corrections=corrections)


# --- Callers --------------------------------------------------------------------------------


def _staff_without_group(django_user_model):
    return django_user_model.objects.get_or_create(username="webmaster", is_staff=True)[0]


def _session(user):
    client = APIClient()
    client.force_login(user)
    return client


CALLERS = {
    # name: (build the client, is it the desk?)
    "anonymous": (lambda users: APIClient(), False),
    "staff without a group": (lambda users: _session(users["staff"]), False),
    "staff key without a group": (lambda users: key_client(users["staff"], KeyScope.READ), False),
    "fact-checker": (lambda users: _session(users["checker"]), True),
    "editor": (lambda users: _session(users["editor"]), True),
    "read-only key": (lambda users: key_client(users["checker"], KeyScope.READ), True),
    "read-write key": (lambda users: key_client(users["editor"], KeyScope.READ_WRITE), True),
}


@pytest.fixture(params=list(CALLERS))
def caller(request, django_user_model, fact_checker, editor):
    build, desk = CALLERS[request.param]
    users = {"staff": _staff_without_group(django_user_model), "checker": fact_checker}
    users["editor"] = editor
    return build(users), desk


def test_the_desk_is_who_holds_the_claim_view_permission(django_user_model, fact_checker):
    webmaster = _staff_without_group(django_user_model)
    reader = django_user_model.objects.create_user("reader")
    assert visibility.sees_drafts(fact_checker)
    assert not visibility.sees_drafts(webmaster)
    assert not visibility.sees_drafts(reader)
    assert not visibility.sees_drafts(None)
    reader.groups.add(Group.objects.get(name="Fact-checkers"))
    assert not visibility.sees_drafts(django_user_model.objects.get(pk=reader.pk))  # not staff


# --- The routes -----------------------------------------------------------------------------


def _route_names(patterns=None, namespace="") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


@dataclass(frozen=True)
class Check:
    """GET `url`: the desk sees the words in `desk_sees` there (when `drafts` says the route
    shows drafts to the desk); nobody sees any other draft's word."""

    url: str
    desk_sees: frozenset = frozenset()
    # For one draft's own address: readers get 404; the desk 200 when it may see it there.
    draft_address: bool = False


def _claim_page(world, word):
    claim = world.drafts[word]
    return django_reverse("claims:claim", kwargs={"slug": claim.slug})


READER_ROUTES = {
    "claims:home": lambda w: [Check("/en/")],
    # Searched for words every claim's wording shares (the query is echoed on the page).
    "claims:list": lambda w: [
        Check("/en/claims/"),
        Check("/en/claims/?q=index"),
        Check("/en/claims/?q=index+spring&language=en"),
    ],
    "claims:claim": lambda w: (
        [Check(w.public.get_absolute_url())]
        + [Check(_claim_page(w, word), draft_address=True) for word in w.drafts]
    ),
    "claims:claim_embed": lambda w: [
        Check(django_reverse("claims:claim_embed", kwargs={"slug": claim.slug}), draft_address=True)
        for claim in w.drafts.values()
    ],
    "oembed": lambda w: [
        Check(f"/oembed/?url=http://testserver{_claim_page(w, word)}", draft_address=True)
        for word in w.drafts
    ],
    "claims:article": lambda w: (
        [Check(w.public.article.get_absolute_url())]
        + [
            Check(w.drafts[word].article.get_absolute_url(), draft_address=True)
            for word in OWN_ARTICLE_WORDS
        ]
    ),
    "claims:source": lambda w: [
        Check(source.get_absolute_url(), draft_address=source.title != f"Source {PUBLIC_WORD}")
        for source in Source.objects.all()
    ],
    "claims:outlet": lambda w: [
        Check(outlet.get_absolute_url(), draft_address=outlet.name != f"Outlet {PUBLIC_WORD}")
        for outlet in Outlet.objects.all()
    ],
    "claims:claimants": lambda w: [Check("/en/claimants/"), Check("/en/claimants/?q=claimant")],
    "claims:claimant": lambda w: [
        Check(claimant.get_absolute_url(), draft_address=claimant.name != f"Claimant {PUBLIC_WORD}")
        for claimant in Claimant.objects.all()
    ],
    "claims:claimant_rss": lambda w: [
        Check(
            django_reverse("claims:claimant_rss", kwargs={"slug": claimant.slug}),
            draft_address=claimant.name != f"Claimant {PUBLIC_WORD}",
        )
        for claimant in Claimant.objects.all()
    ],
    "claims:methodology": lambda w: [Check("/en/methodology/")],
    "claims:corrections": lambda w: [Check("/en/corrections/")],
    "claims:verdicts_rss": lambda w: [Check("/en/feeds/verdicts.rss")],
    "claims:verdicts_atom": lambda w: [Check("/en/feeds/verdicts.atom")],
    "claims:corrections_rss": lambda w: [Check("/en/feeds/corrections.rss")],
    "claims:corrections_atom": lambda w: [Check("/en/feeds/corrections.atom")],
    "sitemap": lambda w: [Check("/sitemap.xml")],
    "claimreview_feed": lambda w: [Check("/feeds/claimreview.json")],
    "verdict_styles": lambda w: [Check("/verdicts.css")],
    "claims:articles": lambda w: [Check("/en/articles/")],
    "robots_txt": lambda w: [Check("/robots.txt")],
    # A draft's article gives the embed an empty list (200), never the draft.
    "embed_checks": lambda w: [
        Check(f"/embed/v1/articles/{claim.article.slug}/checks.json")
        for claim in [w.public, *(w.drafts[word] for word in OWN_ARTICLE_WORDS)]
    ],
    "embed_demo": lambda w: (
        [Check(f"/embed/demo/{w.public.article.slug}/")]
        + [
            Check(f"/embed/demo/{w.drafts[word].article.slug}/", draft_address=True)
            for word in OWN_ARTICLE_WORDS
        ]
    ),
}

ALL_BUT_DISMISSED = frozenset(DRAFT_WORDS.values()) - DISMISSED_WORDS
ALL = frozenset(DRAFT_WORDS.values())


def _api_claim(word, world, suffix=""):
    return f"/api/v1/claims/{world.drafts[word].pk}/{suffix}"


API_ROUTES = {
    "api:claim-list": lambda w: (
        [Check("/api/v1/claims/?page_size=100", desk_sees=ALL)]
        + [
            Check(f"/api/v1/claims/?search={word}", desk_sees={word})
            for word in DRAFT_WORDS.values()
        ]
    ),
    "api:claim-detail": lambda w: [
        Check(_api_claim(word, w), desk_sees={word}, draft_address=True) for word in w.drafts
    ],
    # A draft has no ClaimReview, not even for the desk.
    "api:claim-claim-review": lambda w: [
        Check(_api_claim(word, w, "claimreview/"), draft_address=True) for word in w.drafts
    ],
    # The drafts all read alike, so each text finds every one (but the dismissed) for the desk.
    "claims-similar": lambda w: [
        Check(f"/api/v1/claims/similar/?text={wording(word)}&limit=50", desk_sees=ALL_BUT_DISMISSED)
        for word in ALL
    ],
    # The same, beside other organisations' fact-checks (factchecks/).
    "claims-checked-before": lambda w: [
        Check(
            f"/api/v1/claims/checked-before/?text={wording(word)}&limit=50",
            desk_sees=ALL_BUT_DISMISSED,
        )
        for word in ALL
    ],
    "api:article-list": lambda w: [
        Check("/api/v1/articles/?page_size=100", desk_sees=OWN_ARTICLE_WORDS)
    ],
    "api:article-detail": lambda w: [
        Check(
            f"/api/v1/articles/{w.drafts[word].article_id}/", desk_sees={word}, draft_address=True
        )
        for word in OWN_ARTICLE_WORDS
    ],
    "api:source-list": lambda w: [Check("/api/v1/sources/?page_size=100", desk_sees=ALL)],
    "api:source-detail": lambda w: [
        Check(f"/api/v1/sources/{source.pk}/", desk_sees={word}, draft_address=True)
        for word in ALL
        for source in Source.objects.filter(title=f"Source {word}")
    ],
    "api:outlet-list": lambda w: [Check("/api/v1/outlets/?page_size=100", desk_sees=ALL)],
    "api:outlet-detail": lambda w: [
        Check(f"/api/v1/outlets/{outlet.pk}/", desk_sees={word}, draft_address=True)
        for word in ALL
        for outlet in Outlet.objects.filter(name=f"Outlet {word}")
    ],
    "api:correction-list": lambda w: [
        Check("/api/v1/corrections/?page_size=100", desk_sees=CORRECTED_WORDS)
    ],
    "api:correction-detail": lambda w: [
        Check(
            f"/api/v1/corrections/{w.corrections[word].pk}/", desk_sees={word}, draft_address=True
        )
        for word in CORRECTED_WORDS
    ],
    "api:claimant-list": lambda w: [Check("/api/v1/claimants/?page_size=100", desk_sees=ALL)],
    "api:claimant-detail": lambda w: [
        Check(f"/api/v1/claimants/{claimant.pk}/", desk_sees={word}, draft_address=True)
        for word in ALL
        for claimant in Claimant.objects.filter(name=f"Claimant {word}")
    ],
    "api:claimant-claims": lambda w: [
        Check(f"/api/v1/claimants/{claimant.pk}/claims/", desk_sees={word}, draft_address=True)
        for word in ALL
        for claimant in Claimant.objects.filter(name=f"Claimant {word}")
    ],
    "api:claimreview-feed": lambda w: [Check("/api/v1/claimreview/feed/")],
    "api:verdict-list": lambda w: [Check("/api/v1/verdicts/")],
    "api:verdict-detail": lambda w: [Check("/api/v1/verdicts/false/")],
}


def _sighting_url(w) -> str:
    # A sighting keeps the sentence as a monitored outlet said it: the desk's record, not a
    # reader's (the claim page shows only how many).
    sighting, _ = sighting_record(w.public, sentence="The claim said again.", score=0.9)
    return f"/api/v1/sightings/{sighting.pk}/"


# Internal records: the desk only, whatever the claim's state.
DESK_ONLY_ROUTES = {
    "api:sighting-list": lambda w: ["/api/v1/sightings/?page_size=100"],
    "api:sighting-detail": lambda w: [_sighting_url(w)],
    "api:claim-comments": lambda w: [_api_claim(word, w, "comments/") for word in w.drafts],
    "api:claim-events": lambda w: [_api_claim(word, w, "events/") for word in w.drafts],
    "api:event-list": lambda w: ["/api/v1/events/?page_size=100"],
    "api:event-detail": lambda w: [
        f"/api/v1/events/{w.drafts[word].events.first().pk}/" for word in w.drafts
    ],
}

NOT_READER_DATA = {
    # Writes (POST only) and the machinery around them.
    *(
        f"api:claim-{name}"
        for name in [
            "start-research",
            "submit",
            "publish",
            "dismiss",
            "request-changes",
            "reopen",
            "unpublish",
            "correct",
            "assign",
            "unassign",
            "evidence",
            "translations",
            "evidence-translations",
        ]
    ),
    "api:claimreview-import",
    "api:sighting-status",
    # A live transcript's lines, posted by the desk's own bridge (POST only; monitoring).
    "api:monitored-source-lines",
    # About the API itself, or the caller's own webhooks (integrations.view_webhookendpoint).
    "api:api-root",
    "api:schema",
    "api:docs",
    "api:redoc",
    # The embed script itself: a static file at a stable address.
    "embed_script",
    "api:webhook-list",
    "api:webhook-detail",
    "api:webhook-deliveries",
    "api:webhook-test",
    # Other organisations' fact-checks, for staff holding factchecks.view_externalfactcheck:
    # none of the desk's claims, drafts or published, is among them.
    "api:fact-check-list",
    "api:fact-check-detail",
    # Readers' tips: a form, and POSTs answered with published checks only (a draft is never
    # an answer, and nothing one reader sent is shown to another: tests/tips/).
    "tips:submit",
    "api:tips",
    # Signing in, the language switch, the admin (its own permission checks).
    "accounts:two_factor",
    "set_language",
}


def test_every_route_is_in_the_matrix_or_named_as_not_reader_data():
    names = _route_names()
    known = set(READER_ROUTES) | set(API_ROUTES) | set(DESK_ONLY_ROUTES)
    # The routes this issue names must be among those the URLconf gives.
    assert {"claims:claim", "claims:article", "sitemap", "oembed", "claims-similar"} <= names
    assert known <= names, known - names
    unclassified = {
        name for name in names - known - NOT_READER_DATA if not name.startswith("admin:")
    }
    assert not unclassified, f"Put these routes in the visibility matrix: {unclassified}"


def _hidden_words(check: Check, desk: bool) -> set[str]:
    return set(DRAFT_WORDS.values()) - (set(check.desk_sees) if desk else set())


def _assert_check(client, check: Check, desk: bool, *, reader_page: bool):
    response = client.get(check.url)
    body = response.content.decode()
    if response.status_code == 404:
        # The not-found page links the address asked for (in each language): not a leak.
        for part in re.split(r"[/?=&]", check.url):
            body = body.replace(part, "") if len(part) > 3 else body
    for word in _hidden_words(check, desk):
        assert word not in body, f"{check.url} shows the draft '{word}' ({response.status_code})"
    if check.draft_address and (reader_page or not desk or not check.desk_sees):
        assert response.status_code == 404, (check.url, response.status_code)
        return
    assert response.status_code == 200, (check.url, response.status_code)
    if desk:
        for word in check.desk_sees:
            assert word in body, f"the desk should see '{word}' at {check.url}"


def test_reader_pages_show_no_draft_to_anyone(world, caller):
    client, _desk = caller
    # The public claim's own things are there for everyone (so the test is not vacuous).
    for url in ["/en/", "/en/claims/", "/sitemap.xml", "/en/feeds/corrections.rss"]:
        assert PUBLIC_WORD in client.get(url).content.decode(), url
    for route in READER_ROUTES.values():
        for check in route(world):
            _assert_check(client, check, desk=False, reader_page=True)


def test_api_shows_drafts_to_the_desk_only(world, caller):
    client, desk = caller
    for url in ["/api/v1/claims/", "/api/v1/articles/", "/api/v1/sources/", "/api/v1/outlets/"]:
        assert PUBLIC_WORD in client.get(url).content.decode(), url
    for route in API_ROUTES.values():
        for check in route(world):
            _assert_check(client, check, desk, reader_page=False)


def test_internal_records_are_for_the_desk_only(world, caller):
    client, desk = caller
    for route in DESK_ONLY_ROUTES.values():
        for url in route(world):
            status = client.get(url).status_code
            assert status == 200 if desk else status in (401, 403, 404), (url, status)


# --- The similar-claims door ----------------------------------------------------------------


def test_staff_without_claim_permission_see_no_drafts_among_similar_claims(
    world, django_user_model
):
    """Regression: this door checked is_staff where every other one checks the desk
    permission, so any staff account read drafts here."""
    client = APIClient()
    client.force_login(_staff_without_group(django_user_model))
    word = DRAFT_WORDS[ClaimStatus.IN_REVIEW]
    found = client.get("/api/v1/claims/similar/", {"text": wording(word)}).json()
    assert world.drafts[word].pk not in [item["id"] for item in found]
    assert {item["status"] for item in found} == {ClaimStatus.PUBLISHED}


def test_the_desk_sees_drafts_among_similar_claims_without_their_verdicts(world, fact_checker):
    client = APIClient()
    client.force_login(fact_checker)
    word = DRAFT_WORDS[ClaimStatus.IN_REVIEW]
    found = client.get("/api/v1/claims/similar/", {"text": wording(word)}).json()
    draft = next(item for item in found if item["id"] == world.drafts[word].pk)
    assert draft["verdict"] is None and draft["url"] is None


# --- The module's own view --------------------------------------------------------------------


def test_the_public_view_holds_only_what_published_claims_reach(world):
    public = world.public
    assert list(visibility.public_claims()) == [public]
    assert list(visibility.public_articles()) == [public.article]
    assert list(visibility.public_corrections()) == [world.corrections[PUBLIC_WORD]]
    assert {s.title for s in visibility.public_sources()} == {f"Source {PUBLIC_WORD}"}
    assert {o.name for o in visibility.public_outlets()} == {f"Outlet {PUBLIC_WORD}"}
    assert {e.claim_id for e in visibility.public_evidence()} == {public.pk}
