"""The public "Send us a claim to check" page: the form, its limits and what a reader sees back.
Nothing a reader sends is ever shown to another reader."""

import uuid

import pytest
from django.test import Client

from tips.models import Tip, TipContact, TipRequest

from .conftest import DEBT_IT

pytestmark = pytest.mark.django_db

URL = "/en/tips/"
SECRET_CLAIM = "The harbour authority secretly sold the old lighthouse to a casino company"


def post(client, text, address="203.0.113.7", **fields):
    data = {"text": text, "language": "en", "link": "", "email": "", "website": ""}
    data.update(fields)
    return client.post(URL, data, REMOTE_ADDR=address)


def test_the_form_is_linked_from_every_page_and_costs_no_query(client, django_assert_num_queries):
    assert 'href="/en/tips/"' in client.get("/en/claims/").content.decode()
    with django_assert_num_queries(0):
        response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page and 'name="website"' in page
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    italian = client.get("/it/tips/").content.decode()
    assert 'value="it" selected' in italian


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = post(client, SECRET_CLAIM)
    assert response.status_code == 403
    assert not TipRequest.objects.exists()


def test_a_new_question_gets_a_thank_you_that_says_what_happens_next(
    client, django_assert_max_num_queries
):
    # Matching, at most 10 on PostgreSQL: the desk's claims by wording (in a savepoint with
    # its own time limit: 5 statements) and by meaning (the pgvector probe and this process's
    # first load of the vectors: 2), other organisations' checks (wording, vectors' first
    # load: 2), 1 spare. Grouping: the same wording, then the recent wordings (2). The writes
    # in one savepoint: savepoint, request, its day, the tip, the contact, release (6).
    # 12 on SQLite.
    with django_assert_max_num_queries(18):
        response = post(client, SECRET_CLAIM, email="reader@example.org", notify="on")
    page = response.content.decode()
    assert response.status_code == 200
    assert "We have not checked this claim yet" in page
    assert "we will write to you once" in page
    request = TipRequest.objects.get()
    assert str(request.reference) in page
    assert TipContact.objects.get().email == "reader@example.org"


def test_a_published_check_is_shown_at_once(client, published_debt):
    response = post(client, "Is it true that Italy's public debt has passed 2,800 billion euros?")
    page = response.content.decode()
    assert "This has been checked" in page
    assert published_debt.get_absolute_url() in page
    assert "not kept your address" not in page


def test_a_reader_answered_at_once_is_told_their_address_was_not_kept(client, published_debt):
    response = post(
        client,
        "Is it true that Italy's public debt has passed 2,800 billion euros?",
        email="reader@example.org",
        notify="on",
    )
    assert "we have not kept your address" in response.content.decode()
    assert not TipContact.objects.exists()


def test_another_organisations_check_is_shown_as_theirs_with_their_rating(
    client, their_vaccine_check
):
    page = post(client, "Does the measles vaccine cause autism in children?").content.decode()
    assert "their checks and their verdicts, not ours" in page
    assert "Checkers Example" in page and "Pants on Fire" in page
    assert their_vaccine_check.review_url in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "<b>The mayor</b> lied about the new bridge cost"}, "without HTML"),
        ({"text": "too short"}, "at least 10 characters"),
        ({"text": SECRET_CLAIM, "link": "ftp://example.org/x"}, "address of a web page"),
        ({"text": SECRET_CLAIM, "notify": "on"}, "Leave an address"),
    ],
)
def test_bad_input_gets_the_form_back_with_a_message(client, fields, message):
    text = fields.pop("text")
    response = post(client, text, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TipRequest.objects.exists()


def test_a_tip_as_long_as_the_browser_allows_is_taken_with_its_line_breaks(client):
    # The textarea's maxlength counts a line break as one character; the browser sends it
    # as two (CR LF). 999 characters typed on four lines arrive as 1,002.
    line = "The harbour authority sold the lighthouse to a casino " * 5
    text = "\r\n".join([line[:249]] * 4)
    assert len(text.replace("\r\n", "\n")) <= 1000 < len(text)
    response = post(client, text)

    assert response.status_code == 200, response.content.decode()
    assert TipRequest.objects.get().text.startswith("The harbour authority sold")


def test_a_bot_that_fills_the_honeypot_is_thanked_and_nothing_is_kept(client):
    response = post(client, SECRET_CLAIM, website="https://spam.example")
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert not TipRequest.objects.exists()


def test_one_address_may_send_only_so_many_tips(client, settings):
    settings.TIPS_RATE_PER_ADDRESS = 3
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    codes = [post(client, f"{SECRET_CLAIM} number {n}", address).status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert "try again later" in post(client, SECRET_CLAIM, address).content.decode()
    # Another reader is not held up by the first one's flood.
    assert post(client, SECRET_CLAIM, "198.51.100.251").status_code == 200


def test_one_contact_address_may_be_left_only_so_many_times(client, settings):
    settings.TIPS_RATE_PER_CONTACT = 2
    codes = [
        post(
            client,
            f"{SECRET_CLAIM} {n}",
            f"192.0.2.{n + 1}",
            email="victim@example.org",
            notify="on",
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


def test_the_limit_holds_while_redis_is_down(client, settings):
    from tests.ops.servers import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "lib.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "KEY_PREFIX": f"tips-{uuid.uuid4().hex[:8]}",
        }
    }
    settings.TIPS_RATE_PER_ADDRESS = 2
    address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    codes = [post(client, f"{SECRET_CLAIM} {n}", address).status_code for n in range(3)]
    assert codes == [200, 200, 429]


def test_nothing_a_reader_sends_is_shown_to_other_readers(client, published_debt):
    link = "https://private.example/leak"
    post(client, SECRET_CLAIM, link=link, email="first@example.org", notify="on")
    post(client, f"{DEBT_IT}?", link=link, email="first@example.org", notify="on")
    assert Tip.objects.count() == 2
    other = Client()
    # The same question from another reader: answered, but never with the first one's words.
    again = post(other, SECRET_CLAIM + "!", "192.0.2.200").content.decode()
    pages = [again]
    for url in (
        "/en/",
        "/it/",
        "/en/claims/",
        f"/en/claims/?q={SECRET_CLAIM[:20]}",
        published_debt.get_absolute_url(),
        "/en/articles/",
        "/sitemap.xml",
        "/feeds/claimreview.json",
        "/en/feeds/verdicts.rss",
        "/api/v1/claims/",
        URL,
    ):
        response = other.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
    for page in pages:
        assert "harbour authority" not in page.lower()
        assert "private.example" not in page and "first@example.org" not in page


def test_the_page_and_the_answer_are_in_italian_on_the_italian_site(client):
    assert "Mandaci una dichiarazione da verificare" in client.get("/it/tips/").content.decode()
    response = client.post(
        "/it/tips/",
        {"text": SECRET_CLAIM, "language": "it", "email": "", "link": "", "website": ""},
        REMOTE_ADDR="192.0.2.99",
    )
    assert "Abbiamo ricevuto la tua domanda" in response.content.decode()
