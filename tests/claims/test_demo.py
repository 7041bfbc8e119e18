import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from claims import visibility
from claims.demo import ARTICLE_SLUG, CLAIMS, load_demo
from claims.models import Article, Claim, ClaimEvent, ClaimStatus, Evidence

pytestmark = pytest.mark.django_db


def test_every_demo_claim_is_anchored_at_its_exact_offsets(demo):
    claims = Claim.objects.filter(article=demo.article)
    assert claims.count() == len(CLAIMS) >= 10
    for claim in claims:
        assert demo.article.text[claim.anchor_start : claim.anchor_end] == claim.quote


def test_demo_covers_the_key_claims_of_the_article(demo):
    quotes = " ".join(Claim.objects.values_list("quote", flat=True))
    for fragment in ["918 milioni", "Margarita Simonyan", "più di 200", "Csto", "Wei Fenghe"]:
        assert fragment in quotes


def test_demo_spreads_claims_over_the_workflow(demo):
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in ClaimStatus}
    for claim in visibility.public_claims():
        assert claim.verdict and claim.rationale
        assert claim.evidence.filter(stance__in=["supports", "refutes"]).exists()
        assert claim.published_by != claim.submitted_by


def test_demo_fixture_text_is_the_untouched_article():
    from pathlib import Path

    from claims.demo import ARTICLE_FILE

    text = ARTICLE_FILE.read_text(encoding="utf-8")
    assert text.startswith("L’invasione dell’Ucraina")
    assert len(text) == 3334
    shared = Path(__file__).resolve().parents[3] / "shared/demo/kazakhstan-2022-07.it.txt"
    if shared.exists():
        assert shared.read_text(encoding="utf-8") == text


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    counts = [m.objects.count() for m in (Article, Claim, Evidence, ClaimEvent)]
    call_command("load_demo")
    second = capsys.readouterr().out
    assert [m.objects.count() for m in (Article, Claim, Evidence, ClaimEvent)] == counts
    assert "Password:" in first and "Password:" not in second
    assert "already loaded" in second


def test_demo_superuser_gets_a_random_password_printed_once(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    password = next(
        line.split("Password:")[1].split()[0] for line in output.splitlines() if "Password:" in line
    )
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert not admin.check_password("admin")
    assert len(password) >= 12


def test_demo_article_slug_is_stable():
    result = load_demo()
    assert result.article.slug == ARTICLE_SLUG


def test_demo_article_comes_with_suggestions_outside_the_checked_claims(demo):
    candidates = demo.article.candidates.filter(decision="open")
    assert candidates.exists()
    for candidate in candidates:
        assert demo.article.text[candidate.start : candidate.end] == candidate.text


def test_demo_evidence_notes_read_in_each_language_they_are_written_in(client, demo):
    from django.utils.translation import override

    csto = Claim.objects.get(quote__startswith="dove da mesi")
    with override("it"):
        italian = client.get(csto.get_absolute_url()).content.decode()
    with override("en"):
        english = client.get(csto.get_absolute_url()).content.decode()
    assert "Arrivo il 6 gennaio 2022, ritiro completato il 19 gennaio." in italian
    assert "Arrived on 6 January 2022, withdrawal completed on 19 January." in english
    assert "Arrivo il 6 gennaio" not in english  # never one language under another's page
    # An untranslated check keeps its Italian note, and the admin marks the English missing.
    capital = Claim.objects.get(quote__startswith="il governo di Nur-Sultan")
    assert capital.evidence.get().note == "Il cambio di nome risale al marzo 2019."
    assert not capital.evidence.get().translations.exists()
