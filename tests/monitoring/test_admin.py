"""The desk's monitoring pages: sources with their health, the morning list and its "open as a
claim", the transcript upload form, the live page and the JSON it polls."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Claim, Topic
from monitoring.models import MonitoredItem, MonitoredSentence, MonitoredSource, MonitorRun
from monitoring.services import transcript_line_add, transcript_upload

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def debate(db):
    return MonitoredSource.objects.create(name="Dibattito", kind="transcript", language="it")


@pytest.fixture
def checker_client(client, fact_checker):
    client.force_login(fact_checker)
    return client


def test_the_morning_list_groups_by_topic_and_ranks_with_reasons(checker_client, debate):
    Topic.objects.create(name="disoccupazione", slug="lavoro")
    text = (
        "ROSSI: Il debito pubblico italiano ha superato i 2.800 miliardi di euro nel 2025.\n"
        "BIANCHI: La disoccupazione è scesa al 18 per cento nel 2025 secondo l'Istat.\n"
        "BIANCHI: Grazie a voi.\n"
    )
    transcript_upload(source=debate, text=text, title="Dibattito in tv")

    response = checker_client.get(reverse("admin:monitoring_morning"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("<h2>disoccupazione</h2>") < page.index("La disoccupazione è scesa")
    assert "Il debito pubblico" in page and "Grazie a voi" not in page
    assert "a percentage" in page  # why it scored
    assert "Speaker: BIANCHI" in page and "Dibattito in tv" in page
    assert "Open as a claim" in page
    other_day = checker_client.get(reverse("admin:monitoring_morning"), {"day": "2020-01-01"})
    assert "No check-worthy sentence" in other_day.content.decode()
    assert (
        checker_client.get(reverse("admin:monitoring_morning"), {"day": "2026-02-30"}).status_code
        == 200
    )


def test_why_a_sentence_scored_is_shown_in_the_pages_language_whoever_ran_it(
    checker_client, debate
):
    from django.utils import translation

    with translation.override("it"):  # an Italian API call or worker: kept in English still
        transcript_upload(
            source=debate,
            text="ROSSI: La disoccupazione è scesa al 18 per cento nel 2025, dice Mario Draghi.\n",
            title="Dibattito",
        )
    sentence = MonitoredSentence.objects.get(kept=True)
    assert "a percentage" in sentence.reasons
    morning = reverse("admin:monitoring_morning")
    italian = checker_client.get(morning, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    english = checker_client.get(morning, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "una percentuale" in italian and "a percentage" not in italian
    assert "a percentage" in english
    with translation.override("it"):
        assert any(reason.startswith("nomi: ") for reason in sentence.reasons_shown)


def test_the_morning_list_costs_the_same_for_many_sentences(
    checker_client, debate, django_assert_max_num_queries
):
    lines = "\n".join(
        f"ROSSI: Le tasse sono aumentate del {n} per cento in {n} anni in Italia."
        for n in range(2, 40)
    )
    transcript_upload(source=debate, text=lines)
    # Session, user, user's permissions (3); the kept sentences with their item, source,
    # topic and claims in one query (1); the admin's own sidebar and messages (a few).
    with django_assert_max_num_queries(8):
        response = checker_client.get(reverse("admin:monitoring_morning"))
    assert response.content.decode().count("Open as a claim") == 38


def test_open_as_a_claim_creates_it_once_and_goes_to_it(checker_client, debate):
    transcript_upload(source=debate, text=(FIXTURES / "debate.txt").read_text())
    jobs = MonitoredSentence.objects.get(text__contains="disoccupazione")
    url = reverse("admin:monitoring_sentence_open", args=[jobs.pk])

    response = checker_client.post(url)
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_change", args=[claim.pk])
    checker_client.post(url)
    assert Claim.objects.count() == 1
    assert checker_client.get(url).status_code == 405


def test_the_upload_form_reads_a_file_and_the_health_log_shows_its_reasons(client, editor, debate):
    client.force_login(editor)
    upload = SimpleUploadedFile("debate.srt", (FIXTURES / "debate.srt").read_bytes())
    response = client.post(reverse("admin:monitoring_upload", args=[debate.pk]), {"file": upload})

    assert response.status_code == 302
    assert MonitorRun.objects.get().status == MonitorRun.Status.PARTIAL
    listing = client.get(reverse("admin:monitoring_monitoredsource_changelist")).content.decode()
    assert "Partial" in listing and "line 10" in listing
    page = client.get(reverse("admin:monitoring_monitoredsource_change", args=[debate.pk]))
    assert "minutes or seconds past 59" in page.content.decode()


def test_the_upload_form_without_a_file_or_text_says_so(client, editor, debate):
    client.force_login(editor)
    response = client.post(reverse("admin:monitoring_upload", args=[debate.pk]), {"text": " "})
    assert response.status_code == 400
    assert "Choose a transcript file" in response.content.decode()
    assert not MonitorRun.objects.exists()


def test_the_upload_form_refuses_a_file_that_is_not_text(client, editor, debate):
    client.force_login(editor)
    pdf = SimpleUploadedFile(
        "debate.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 40
    )
    response = client.post(reverse("admin:monitoring_upload", args=[debate.pk]), {"file": pdf})

    assert response.status_code == 400
    assert "not a text file" in response.content.decode()
    assert not MonitorRun.objects.exists() and not MonitoredItem.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_the_upload_form_reads_a_transcript_saved_in_another_encoding(
    client, editor, debate, encoding
):
    client.force_login(editor)
    srt = "1\n00:00:01,000 --> 00:00:04,000\nROSSI: La disoccupazione è scesa al 7 per cento.\n"
    upload = SimpleUploadedFile("debate.srt", srt.encode(encoding))
    response = client.post(reverse("admin:monitoring_upload", args=[debate.pk]), {"file": upload})

    assert response.status_code == 302
    sentence = MonitoredSentence.objects.get()
    assert sentence.text == "La disoccupazione è scesa al 7 per cento."
    assert (sentence.speaker_name, sentence.offset_ms) == ("ROSSI", 1000)


def test_the_upload_form_keeps_what_was_typed_when_it_refuses_the_file(client, editor, debate):
    client.force_login(editor)
    pdf = SimpleUploadedFile("debate.pdf", bytes(range(256)) * 40)
    response = client.post(
        reverse("admin:monitoring_upload", args=[debate.pk]),
        {"file": pdf, "title": "Dibattito <del> sera", "text": "ROSSI: Buonasera & benvenuti."},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="Dibattito &lt;del&gt; sera"' in page
    assert ">ROSSI: Buonasera &amp; benvenuti.</textarea>" in page


def test_the_live_page_polls_a_small_json_of_new_lines_with_their_matches(
    checker_client, debate, published_debt, django_assert_max_num_queries
):
    page = checker_client.get(reverse("admin:monitoring_live", args=[debate.pk]))
    assert page.status_code == 200 and b"live.js" in page.content
    feed = reverse("admin:monitoring_live_json", args=[debate.pk])
    assert checker_client.get(feed).json() == {"lines": [], "last": 0}

    transcript_line_add(source=debate, text="ROSSI: Buonasera e benvenuti in studio.")
    transcript_line_add(
        source=debate, text="Il debito pubblico italiano ha superato i 2.800 miliardi di euro."
    )
    # Session, user, the user's and their groups' permissions (4); the source (1); the new
    # lines with their claims (1).
    with django_assert_max_num_queries(6):
        body = checker_client.get(feed).json()
    assert [line["speaker"] for line in body["lines"]] == ["ROSSI", "ROSSI"]
    match = body["lines"][1]["match"]
    assert match["claim"] == published_debt.claim_reviewed and match["score"] >= 0.6
    again = checker_client.get(feed, {"after": body["last"]}).json()
    assert again == {"lines": [], "last": body["last"]}
    for wrong in ["x", "-1", str(2**64)]:
        assert checker_client.get(feed, {"after": wrong}).status_code == 400


def test_monitoring_pages_need_the_desks_permissions(client, django_user_model, debate):
    outsider = django_user_model.objects.create_user("outsider", password="x", is_staff=True)
    client.force_login(outsider)
    for url in [
        reverse("admin:monitoring_morning"),
        reverse("admin:monitoring_live", args=[debate.pk]),
        reverse("admin:monitoring_live_json", args=[debate.pk]),
        reverse("admin:monitoring_upload", args=[debate.pk]),
    ]:
        assert client.get(url).status_code == 403, url


def test_sources_list_shows_each_sources_last_run_in_fixed_queries(
    checker_client, debate, django_assert_max_num_queries
):
    for number in range(5):
        MonitoredSource.objects.create(
            name=f"Feed {number}", kind="feed", url=f"https://example.org/{number}"
        )
        transcript_upload(source=debate, text=f"ROSSI: Riga numero {number} del dibattito.")
    # Session, user, permissions (3); count and page of sources (2); their latest runs (1);
    # the filters' and the admin's own (a few).
    with django_assert_max_num_queries(10):
        response = checker_client.get(reverse("admin:monitoring_monitoredsource_changelist"))
    assert response.status_code == 200
    assert MonitoredItem.objects.count() == 5


def test_a_source_without_its_url_is_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:monitoring_monitoredsource_add"),
        {"name": "Feed", "kind": "feed", "url": "", "interval_minutes": "2", "active": "on"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "url" in errors and "interval_minutes" in errors
    assert not MonitoredSource.objects.exists()


@pytest.mark.parametrize(("typed", "kept"), [("it-IT", "it"), ("EN_us", "en"), (" de ", "de")])
def test_a_sources_language_is_kept_as_its_language_code(client, editor, typed, kept):
    # "it-IT" was stored as typed, and the claims opened from its sentences said English.
    client.force_login(editor)
    response = client.post(
        reverse("admin:monitoring_monitoredsource_add"),
        {"name": "Feed", "kind": "transcript", "language": typed, "interval_minutes": "60"},
    )
    assert response.status_code == 302
    assert MonitoredSource.objects.get().language == kept


def test_a_source_language_that_is_no_language_code_is_a_form_error(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:monitoring_monitoredsource_add"),
        {"name": "Feed", "kind": "transcript", "language": "italiano", "interval_minutes": "60"},
    )
    assert response.status_code == 200
    assert "language" in response.context["adminform"].form.errors
    assert not MonitoredSource.objects.exists()
