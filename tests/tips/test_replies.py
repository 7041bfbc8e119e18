"""One e-mail, in the reader's language, when the claim made of their question is published."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from claims import services as claim_services
from tests.factories import SourceFactory, verdict
from tips.models import TipContact
from tips.services import tip_contacts_purge, tip_request_claim_create, tip_submit

pytestmark = pytest.mark.django_db

BRIDGE = "The new bridge over the river cost the city 40 million euros"


def ask(email, language):
    return tip_submit(
        text=BRIDGE, email=email, notify=True, reader_language=language, channel="web"
    ).request


def publish(claim, checker, editor):
    claim = claim_services.claim_update(claim=claim, actor=checker, assignee=checker)
    claim = claim_services.claim_start_research(claim=claim, actor=checker)
    claim_services.evidence_add(claim=claim, source=SourceFactory(), stance="refutes")
    claim = claim_services.claim_update(
        claim=claim, actor=checker, verdict=verdict("false"), rationale="The city paid 12 million."
    )
    claim = claim_services.claim_submit_for_review(claim=claim, actor=checker)
    return claim_services.claim_publish(claim=claim, actor=editor)


def test_each_reader_is_told_once_in_their_language_after_commit(
    fact_checker, editor, django_capture_on_commit_callbacks
):
    request = ask("uno@example.org", "it")
    ask("two@example.org", "en")
    claim = tip_request_claim_create(request=request, actor=fact_checker)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        claim = publish(claim, fact_checker, editor)
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "two@example.org",
        "uno@example.org",
    ]
    italian = next(m for m in mail.outbox if m.to == ["uno@example.org"])
    english = next(m for m in mail.outbox if m.to == ["two@example.org"])
    assert "/it/claims/" in italian.body and "Falso" in italian.body
    assert "/en/claims/" in english.body and "False" in english.body
    assert english.subject == "We checked the claim you sent us"
    assert italian.subject != english.subject
    assert not TipContact.objects.exists()
    # Published again after a correction round: nobody is written to twice.
    with django_capture_on_commit_callbacks(execute=True):
        claim = claim_services.claim_unpublish(claim=claim, actor=editor, reason="Re-checking")
        claim = claim_services.claim_submit_for_review(claim=claim, actor=fact_checker)
        claim_services.claim_publish(claim=claim, actor=editor)
    assert len(mail.outbox) == 2


def test_addresses_are_deleted_after_the_retention_by_the_command(settings):
    settings.TIPS_CONTACT_RETENTION_DAYS = 30
    ask("old@example.org", "en")
    TipContact.objects.update(created_at=timezone.now() - timezone.timedelta(days=31))
    tip_submit(
        text="The mayor said the city has 300 new buses this year",
        email="new@example.org",
        notify=True,
        reader_language="en",
        channel="web",
    )
    call_command("tips_purge_contacts")
    assert list(TipContact.objects.values_list("email", flat=True)) == ["new@example.org"]
    assert tip_contacts_purge() == 0


def test_the_worker_deletes_addresses_past_their_retention_on_its_beat(settings):
    from io import StringIO

    from ops.management.commands.worker import Command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ask("old@example.org", "en")
    TipContact.objects.update(created_at=timezone.now() - timezone.timedelta(days=91))
    out = StringIO()
    Command(stdout=out).recover("default")
    assert not TipContact.objects.exists()
    assert "1 readers' addresses deleted" in out.getvalue()
