"""A claim's reader-facing text and its evidence notes in the other site languages.

The claim's own fields are its text in `Claim.language`; these services add, change or remove
the text in one more language. Each change bumps the claim's version, so the page cache, the
API's ETag and a colleague's open form all see it.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    CLAIM_REVIEWED_MAX_LENGTH,
    EVIDENCE_NOTE_MAX_LENGTH,
    Claim,
    ClaimTranslation,
    Evidence,
    EvidenceTranslation,
    content_language,
)
from ..permissions import editable_fields
from .locking import claim_lock


def _checked_language(claim: Claim, language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {
                "language": _("Choose one of the site's languages: %(languages)s.")
                % {"languages": ", ".join(dict(settings.LANGUAGES))}
            }
        )
    if language == content_language(claim.language):
        # Refused for the claim's data (its language), not the request's shape: its own code,
        # which the API's problem document carries (api/errors.py).
        message = _("The claim is written in this language: edit its own text instead.")
        error = ValidationError({"language": [message]})
        error.code = "own_language"
        raise error
    return language


def _check_may_edit(claim: Claim, actor) -> None:
    # Translating is editing the wording: whoever may change the short wording now may
    # translate it (editors only once the claim is in review or published).
    if actor is not None and "claim_reviewed" not in editable_fields(actor, claim):
        raise PermissionDenied(_("You may not change this claim's text in its current state."))


def _too_long(field: str, text: str, limit: int, label: str) -> dict:
    if len(text) <= limit:
        return {}
    return {
        field: _("Keep the %(label)s to %(max)s characters (it has %(n)s).")
        % {"label": label, "max": limit, "n": len(text)}
    }


@transaction.atomic
def claim_translation_set(
    *,
    claim: Claim,
    language: str,
    claim_reviewed: str,
    rationale: str = "",
    actor,
    expected_version: int | None = None,
) -> ClaimTranslation | None:
    """Write the claim's short wording and rationale in `language`; both empty removes it.

    Raises ValidationError (field messages) and writes nothing when the input is bad: an
    unknown language, the claim's own language, text longer than its field, a rationale
    without its short wording.
    """
    claim_reviewed, rationale = claim_reviewed.strip(), rationale.strip()
    errors = {
        **_too_long(
            "claim_reviewed", claim_reviewed, CLAIM_REVIEWED_MAX_LENGTH, _("short wording")
        ),
    }
    if rationale and not claim_reviewed:
        errors["claim_reviewed"] = _("A translation needs its short wording.")
    if errors:
        raise ValidationError(errors)
    _check_may_edit(claim, actor)
    claim = claim_lock(claim.pk, expected_version=expected_version)
    language = _checked_language(claim, language)
    existing = ClaimTranslation.objects.filter(claim=claim, language=language).first()
    if not claim_reviewed:
        if existing is None:
            return None
        existing.delete()
        translation = None
    else:
        translation = existing or ClaimTranslation(claim=claim, language=language)
        if (translation.claim_reviewed, translation.rationale) == (claim_reviewed, rationale):
            return translation
        translation.claim_reviewed, translation.rationale = claim_reviewed, rationale
        translation.full_clean()
        translation.save()
    claim.save_new_version(actor=actor, update_fields={"version"})
    return translation


@transaction.atomic
def evidence_note_translation_set(
    *, evidence: Evidence, language: str, note: str, actor
) -> EvidenceTranslation | None:
    """Write an evidence note in `language`; an empty note removes that translation."""
    note = note.strip()
    errors = _too_long("note", note, EVIDENCE_NOTE_MAX_LENGTH, _("note"))
    if errors:
        raise ValidationError(errors)
    _check_may_edit(evidence.claim, actor)
    claim = claim_lock(evidence.claim_id)
    language = _checked_language(claim, language)
    existing = EvidenceTranslation.objects.filter(evidence=evidence, language=language).first()
    if not note:
        if existing is None:
            return None
        existing.delete()
        translation = None
    else:
        translation = existing or EvidenceTranslation(evidence=evidence, language=language)
        if translation.note == note:
            return translation
        translation.note = note
        translation.full_clean()
        translation.save()
    claim.save_new_version(actor=actor, update_fields={"version"})
    return translation
