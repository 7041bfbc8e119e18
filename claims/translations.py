"""Which languages a claim reads in, and the claim as it reads in one of them.

A claim is written in its own language (`Claim.language`); `ClaimTranslation` rows add others.
Reader pages, ClaimReview, the sitemap and the feeds show a claim only in a language it has
really been written in: never the text of one language under another's interface.
"""

import copy

from django.conf import settings
from django.db.models import Prefetch

from .models import Claim, ClaimTranslation, Evidence, content_language


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def languages_of(claim: Claim) -> list[str]:
    """The site languages `claim` reads in, in the site's order (its own language first when
    it is not a site language, so a German claim still has its one page).

    Uses prefetched `translations` when the caller fetched them (lists), else one query.
    """
    own = content_language(claim.language)
    translated = {translation.language for translation in claim.translations.all()}
    languages = [code for code in site_languages() if code == own or code in translated]
    return languages or [own]


def claim_in(claim: Claim, language: str) -> Claim | None:
    """A read-only copy of `claim` whose reader-facing text is in `language`, or None when the
    claim has no text in it. The copy's `shown_language` says which language that is."""
    own = content_language(claim.language)
    if language == own or (language not in site_languages() and not own):
        shown = copy.copy(claim)
        shown.shown_language = own or language
        return shown
    translation = next(
        (item for item in claim.translations.all() if item.language == language), None
    )
    if translation is None:
        return None
    shown = copy.copy(claim)
    shown.claim_reviewed = translation.claim_reviewed
    shown.rationale = translation.rationale
    shown.rationale_html = translation.rationale_html
    shown.shown_language = language
    return shown


def notes_in(evidence: list[Evidence], language: str, *, own_language: str) -> list[Evidence]:
    """Evidence with its notes in `language`: a note not translated yet is left out rather
    than shown in another language (the excerpt stays as the source wrote it).

    Expects prefetched `translations` on each item."""
    if language == content_language(own_language):
        return evidence
    shown = []
    for item in evidence:
        copied = copy.copy(item)
        copied.note = next((t.note for t in item.translations.all() if t.language == language), "")
        shown.append(copied)
    return shown


def prefetch_translations():
    """The Prefetch a list of claims needs for languages_of() and claim_in()."""
    return Prefetch("translations", queryset=ClaimTranslation.objects.order_by("language"))
