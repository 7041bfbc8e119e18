"""Transcripts uploaded and posted live, opening a sentence as a claim, and the retention of
sentences nobody needs."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from claims.models import Sighting
from monitoring.models import MonitoredItem, MonitoredSentence, MonitoredSource, MonitorRun
from monitoring.services import (
    item_ingest,
    sentence_open_as_claim,
    sentences_prune,
    transcript_line_add,
    transcript_upload,
)

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def debate(db):
    return MonitoredSource.objects.create(name="Dibattito", kind="transcript", language="it")


def test_an_uploaded_srt_is_read_with_speakers_and_its_broken_cues_are_reasons(
    debate, published_debt
):
    run = transcript_upload(source=debate, text=(FIXTURES / "debate.srt").read_text())

    assert run.status == MonitorRun.Status.PARTIAL
    assert run.rejected == 2 and len(run.errors) == 2
    assert "line 10" in run.errors[0]
    debt = MonitoredSentence.objects.get(text__startswith="Il debito")
    assert (debt.speaker_name, debt.offset_ms) == ("ROSSI", 4500)
    assert debt.matched_claim == published_debt
    assert Sighting.objects.get().speaker_name == "ROSSI"
    jobs = MonitoredSentence.objects.get(text__contains="disoccupazione")
    assert (jobs.speaker_name, jobs.offset_ms, jobs.kept) == ("ROSSI", 12000, True)


def test_a_transcript_with_no_readable_line_fails_with_a_reason(debate):
    run = transcript_upload(source=debate, text="1\n00:00:09,000 --> 00:00:01,000\nCiao.\n")
    assert run.status == MonitorRun.Status.FAILED
    assert any("No line" in reason for reason in run.errors)
    assert not MonitoredItem.objects.exists()


def test_the_same_transcript_uploaded_twice_is_one_item(debate):
    transcript_upload(source=debate, text=(FIXTURES / "debate.txt").read_text())
    again = transcript_upload(source=debate, text=(FIXTURES / "debate.txt").read_text())
    assert again.duplicates == 1 and MonitoredItem.objects.count() == 1


def test_live_lines_go_to_one_item_with_their_matches(debate, published_debt):
    first = transcript_line_add(source=debate, text="ROSSI: Buonasera a tutti quanti voi.")
    second = transcript_line_add(
        source=debate,
        text="Il debito pubblico italiano ha superato i 2.800 miliardi di euro.",
        start="00:10:00,000",
    )

    item = MonitoredItem.objects.get()
    assert item.is_live
    assert [s.item_id for s in first + second] == [item.pk, item.pk]
    assert second[0].matched_claim == published_debt
    # The unlabelled line goes on with the last speaker.
    assert second[0].speaker_name == "ROSSI" and second[0].offset_ms == 600_000
    assert item.text.splitlines()[1].startswith("Il debito")
    assert second[0].position == 1 and item.text[second[0].start :].startswith("Il debito")


def test_a_live_line_with_a_broken_timestamp_writes_nothing(debate):
    with pytest.raises(ValidationError) as refused:
        transcript_line_add(source=debate, text="Ciao a tutti.", start="99:99")
    assert "start" in refused.value.message_dict
    assert not MonitoredItem.objects.exists()


def test_lines_go_only_to_transcript_sources(db):
    feed = MonitoredSource.objects.create(name="f", kind="feed", url="https://example.org/f")
    with pytest.raises(ValidationError):
        transcript_line_add(source=feed, text="Ciao a tutti voi.")


def test_opening_a_sentence_makes_one_claim_anchored_in_its_item(debate, fact_checker):
    transcript_upload(source=debate, text=(FIXTURES / "debate.txt").read_text())
    jobs = MonitoredSentence.objects.get(text__contains="disoccupazione")
    claim = sentence_open_as_claim(sentence=jobs, actor=fact_checker)

    assert claim.quote == jobs.text
    assert claim.article.text[claim.anchor_start : claim.anchor_end] == jobs.text
    assert claim.claimant == "Giorgia Rossi"
    assert sentence_open_as_claim(sentence=jobs, actor=fact_checker) == claim
    other = MonitoredSentence.objects.get(text__startswith="Il debito")
    # The item's article is made once.
    assert sentence_open_as_claim(sentence=other, actor=fact_checker).article == claim.article


def test_a_live_line_said_after_one_was_opened_can_be_opened_too(debate, fact_checker):
    # The first claim makes the live item's article; the event goes on, and a later line's
    # sentence is in the item but not yet in that article.
    first = transcript_line_add(source=debate, text="ROSSI: La disoccupazione è al 6 per cento.")
    earlier = sentence_open_as_claim(sentence=first[0], actor=fact_checker)
    later = transcript_line_add(source=debate, text="Le tasse sono salite del 20 per cento.")
    claim = sentence_open_as_claim(sentence=later[0], actor=fact_checker)

    assert claim.article == earlier.article
    assert claim.article.text[claim.anchor_start : claim.anchor_end] == later[0].text
    earlier.refresh_from_db()
    assert earlier.article.text[earlier.anchor_start : earlier.anchor_end] == first[0].text


def test_a_sentence_longer_than_a_claims_summary_can_be_opened(debate, fact_checker):
    long_line = "Il PIL è cresciuto del 3 per cento" + " e l'export del 2 per cento" * 25 + "."
    sentence = transcript_line_add(source=debate, text=long_line)[0]
    assert len(sentence.text) > 500
    claim = sentence_open_as_claim(sentence=sentence, actor=fact_checker)

    assert claim.quote == sentence.text
    assert len(claim.claim_reviewed) <= 500 and claim.claim_reviewed.startswith("Il PIL")


def test_a_page_the_desk_already_has_as_an_article_opens_in_that_article(db, fact_checker):
    from claims.services.articles import article_create

    text = "Il debito pubblico italiano ha superato i 3.000 miliardi di euro nel 2024."
    url = "https://news.example.org/conti"
    article = article_create(title="Conti", text=text, language="it", url=url)
    page = MonitoredSource.objects.create(name="Pagina", kind="page", url=url)
    item_ingest(source=page, text=text, url=url)
    claim = sentence_open_as_claim(sentence=MonitoredSentence.objects.get(), actor=fact_checker)

    assert claim.article == article and claim.quote == text


def test_only_staff_who_may_add_claims_open_one(debate, django_user_model):
    transcript_upload(source=debate, text=(FIXTURES / "debate.txt").read_text())
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    with pytest.raises(PermissionDenied):
        sentence_open_as_claim(sentence=MonitoredSentence.objects.first(), actor=nobody)


def test_pruning_deletes_only_old_sentences_neither_check_worthy_nor_matched(
    debate, published_debt, settings
):
    settings.FACTDESK_MONITOR_RETENTION_DAYS = 7
    transcript_upload(source=debate, text=(FIXTURES / "debate.srt").read_text())
    dropped = MonitoredSentence.objects.filter(kept=False)
    assert dropped.exists()
    assert sentences_prune() == 0  # not old enough yet

    old = timezone.now() - timedelta(days=8)
    MonitoredSentence.objects.update(created_at=old)
    call_command("monitor_prune")

    assert not MonitoredSentence.objects.filter(kept=False).exists()
    kept = MonitoredSentence.objects.values_list("text", flat=True)
    assert any(text.startswith("Il debito") for text in kept)
    assert any("disoccupazione" in text for text in kept)


def test_empty_text_is_refused(debate):
    with pytest.raises(ValidationError):
        item_ingest(source=debate, text="  \x00 ")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_lines_posted_at_once_go_to_one_live_item(monkeypatch):
    """A speech-to-text bridge may post two lines at once when the event starts: both go to
    one live item, not one each."""
    import threading
    import time

    from monitoring.services import transcripts

    debate = MonitoredSource.objects.create(name="Dibattito", kind="transcript", language="it")
    real_analyse, real_create = transcripts.source_texts_analyse, MonitoredItem.objects.create
    analysed = threading.Barrier(2)

    def analyse_together(*args, **kwargs):
        sentences = real_analyse(*args, **kwargs)
        analysed.wait()  # both lines are read before either is stored
        return sentences

    def slow_create(**fields):
        time.sleep(0.3)  # the other line arrives while this one makes the item
        return real_create(**fields)

    monkeypatch.setattr(transcripts, "source_texts_analyse", analyse_together)
    monkeypatch.setattr(MonitoredItem.objects, "create", slow_create)
    errors = []

    def post(text):
        try:
            transcript_line_add(source=debate, text=text)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    lines = ["ROSSI: Buonasera a tutti.", "ROSSI: Cominciamo dai conti pubblici."]
    threads = [threading.Thread(target=post, args=(text,)) for text in lines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    item = MonitoredItem.objects.get()
    assert sorted(item.text.splitlines()) == sorted(line.split(": ", 1)[1] for line in lines)
    assert sorted(item.sentences.values_list("position", flat=True)) == [0, 1]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locking")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_opening_two_sentences_of_one_item_at_once_share_its_article(
    fact_checker, editor, monkeypatch
):
    import threading
    import time

    from monitoring.services import claims

    debate = MonitoredSource.objects.create(name="Dibattito", kind="transcript", language="it")
    transcript_upload(source=debate, text=(FIXTURES / "debate.txt").read_text())
    real_create = claims.article_create

    def slow_create(**fields):
        time.sleep(0.3)  # the other editor clicks while this article is being made
        return real_create(**fields)

    monkeypatch.setattr(claims, "article_create", slow_create)
    start, opened, errors = threading.Barrier(2), [], []

    def open_one(sentence, actor):
        start.wait()
        try:
            opened.append(sentence_open_as_claim(sentence=sentence, actor=actor))
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    jobs = MonitoredSentence.objects.get(text__contains="disoccupazione")
    debt = MonitoredSentence.objects.get(text__startswith="Il debito")
    threads = [
        threading.Thread(target=open_one, args=(jobs, fact_checker)),
        threading.Thread(target=open_one, args=(debt, editor)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert len({claim.article_id for claim in opened}) == 1
    assert MonitoredItem.objects.get().article_id == opened[0].article_id
