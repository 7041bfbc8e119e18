"""Triage in the admin: the requests list, make a claim of one, merge, dismiss; readers'
addresses only for staff who hold the permission."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from tips.models import Tip, TipContact, TipRequest, TipRequestDay, TipRequestStatus
from tips.services import tip_request_claim_create, tip_submit

pytestmark = pytest.mark.django_db

LIST = reverse("admin:tips_tiprequest_changelist")
QUESTIONS = [
    "The new bridge over the river cost the city 40 million euros",
    "The mayor said 300 new electric buses arrived this year",
    "The region closed eleven hospitals in the last five years",
    "School dropout doubled since 2015 in the southern regions",
]


def ask(text, email="", language="en"):
    return tip_submit(
        text=text, email=email, notify=bool(email), reader_language=language, channel="web"
    ).request


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# 1 session, 2 user, 3-4 permissions (user and group), 5 the language filter's values,
# 6 count of the filtered requests, 7 count of all, 8 the page of requests with their matched
# claim, matched fact-check and claim made of it, and this week's count per request.
LIST_MAX = 8


def test_the_list_shows_counts_and_costs_the_same_whatever_its_length(
    client, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    ask(QUESTIONS[0])
    small = count(client, LIST)
    for text in QUESTIONS[1:]:
        ask(text)
        ask(text.upper())
    with django_assert_max_num_queries(LIST_MAX):
        page = client.get(LIST).content.decode()
    assert count(client, LIST) == small
    assert "School dropout doubled" in page
    assert '<td class="field-count">2</td>' in page and '<td class="field-this_week">2</td>' in page


def test_make_a_claim_in_one_click_keeps_link_and_count(client, fact_checker):
    client.force_login(fact_checker)
    request = tip_submit(
        text=QUESTIONS[0], link="https://example.org/post", reader_language="it", channel="web"
    ).request
    ask(QUESTIONS[0])
    response = client.post(
        LIST, {"action": "make_claim", "_selected_action": [request.pk]}, follow=True
    )
    assert response.status_code == 200
    request.refresh_from_db()
    claim = Claim.objects.get()
    assert request.claim == claim and request.status == TipRequestStatus.CLAIMED
    assert request.count == 2 and request.link == "https://example.org/post"
    assert claim.quote == QUESTIONS[0] and claim.created_by == fact_checker
    # A second click says so rather than making a second claim.
    client.post(LIST, {"action": "make_claim", "_selected_action": [request.pk]})
    assert Claim.objects.count() == 1


def test_the_claim_page_shows_the_readers_request_with_its_link_and_count(
    client, fact_checker, django_assert_max_num_queries
):
    """The claim made in one click opens on a page that says how often readers asked and
    where they saw it; nobody without the tips permission sees it (a reader's link)."""
    client.force_login(fact_checker)
    request = tip_submit(
        text=QUESTIONS[1], link="https://example.org/seen-here", reader_language="en", channel="web"
    ).request
    ask(QUESTIONS[1])
    ask(QUESTIONS[1])
    claim = tip_request_claim_create(request=request, actor=fact_checker)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    page = client.get(url).content.decode()
    assert "Asked by readers: 3 times" in page
    assert "https://example.org/seen-here" in page and "3 times, 3 this week" in page
    assert reverse("admin:tips_tiprequest_change", args=[request.pk]) in page
    outsider = type(fact_checker).objects.create_user("outsider", password="x", is_staff=True)
    outsider.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_claim", "change_claim"])
    )
    client.force_login(outsider)
    page = client.get(url).content.decode()
    assert QUESTIONS[1][:40] in page  # the claim itself
    assert "Asked by readers" not in page and "seen-here" not in page


def test_merge_adds_counts_and_moves_tips_and_addresses(client, editor):
    client.force_login(editor)
    first = ask(QUESTIONS[0], email="a@example.org")
    ask(QUESTIONS[0], email="a@example.org")
    second = ask(QUESTIONS[1], email="a@example.org")
    third = ask(QUESTIONS[2], email="b@example.org")
    client.post(LIST, {"action": "merge", "_selected_action": [first.pk, second.pk, third.pk]})
    first.refresh_from_db()
    assert first.count == 4 and first.status == TipRequestStatus.OPEN
    assert Tip.objects.filter(request=first).count() == 3
    assert sorted(first.contacts.values_list("email", flat=True)) == [
        "a@example.org",
        "b@example.org",
    ]
    assert TipRequestDay.objects.get().count == 4
    second.refresh_from_db()
    assert second.status == TipRequestStatus.MERGED and second.merged_into == first


def test_fact_checkers_cannot_merge(client, fact_checker):
    client.force_login(fact_checker)
    one, two = ask(QUESTIONS[0]), ask(QUESTIONS[1])
    client.post(LIST, {"action": "merge", "_selected_action": [one.pk, two.pk]})
    assert not TipRequest.objects.filter(status=TipRequestStatus.MERGED).exists()


def test_dismiss_drops_the_readers_addresses(client, fact_checker):
    client.force_login(fact_checker)
    request = ask(QUESTIONS[0], email="a@example.org")
    client.post(LIST, {"action": "dismiss", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == TipRequestStatus.DISMISSED
    assert not TipContact.objects.exists()


def test_addresses_are_shown_only_to_staff_with_the_permission(client, fact_checker):
    request = ask(QUESTIONS[0], email="reader@example.org")
    url = reverse("admin:tips_tiprequest_change", args=[request.pk])
    client.force_login(fact_checker)
    assert "reader@example.org" in client.get(url).content.decode()
    fact_checker.groups.first().permissions.remove(
        Permission.objects.get(codename="view_tipcontact")
    )
    fact_checker = type(fact_checker).objects.get(pk=fact_checker.pk)  # fresh permission cache
    client.force_login(fact_checker)
    page = client.get(url).content.decode()
    assert QUESTIONS[0] in page and "reader@example.org" not in page


def test_one_click_on_the_request_page_makes_the_claim_and_opens_it(client, fact_checker):
    client.force_login(fact_checker)
    request = ask(QUESTIONS[2])
    page = client.get(reverse("admin:tips_tiprequest_change", args=[request.pk])).content.decode()
    make = reverse("admin:tips_tiprequest_make_claim", args=[request.pk])
    assert f'action="{make}"' in page
    assert client.get(make).status_code == 405  # a GET (a prefetching browser) changes nothing
    response = client.post(make)
    claim = Claim.objects.get()
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    second = client.post(make)  # the button pressed twice: a message, not a second claim
    assert second.status_code == 302 and Claim.objects.count() == 1


def test_one_click_dismiss_needs_a_signed_in_desk_member(client, fact_checker):
    request = ask(QUESTIONS[3], email="a@example.org")
    dismiss = reverse("admin:tips_tiprequest_dismiss", args=[request.pk])
    assert client.post(dismiss).status_code == 302  # to the login page
    request.refresh_from_db()
    assert request.status == TipRequestStatus.OPEN
    client.force_login(fact_checker)
    client.post(dismiss)
    request.refresh_from_db()
    assert request.status == TipRequestStatus.DISMISSED and not TipContact.objects.exists()


def test_merging_into_an_open_request_keeps_the_claim_made_of_another(client, editor):
    client.force_login(editor)
    claimed = ask(QUESTIONS[0], email="a@example.org")
    tip_request_claim_create(request=claimed, actor=editor)
    most_asked = ask(QUESTIONS[1], email="b@example.org")
    ask(QUESTIONS[1].upper())
    client.post(LIST, {"action": "merge", "_selected_action": [claimed.pk, most_asked.pk]})
    most_asked.refresh_from_db()
    assert most_asked.claim == Claim.objects.get()
    assert most_asked.status == TipRequestStatus.CLAIMED
    assert most_asked.contacts.count() == 2
