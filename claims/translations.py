"""Which languages a claim reads in, and the claim as it reads in one of them.

A claim is written in its own language (`Claim.language`); `ClaimTranslation` rows add others.
Reader pages, ClaimReview, the sitemap and the feeds show a claim only in a language it has
really been written in: never the text of one language under another's interface.
"""

import copy

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import Claim, ClaimTranslation, Evidence, content_language


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def languages_of(claim: Claim) -> list[str]:
    """The site languages `claim` reads in, in the site's order.

    A claim in a language the site has no pages in (German on an Italian-English desk) reads
    in all of them, as written: there is no page in its own language to send readers to.
    Uses prefetched `translations` when the caller fetched them (lists), else one query.
    """
    own = content_language(claim.language)
    if own not in site_languages():
        return site_languages()
    translated = {translation.language for translation in claim.translations.all()}
    return [code for code in site_languages() if code == own or code in translated]


def claim_in(claim: Claim, language: str) -> Claim | None:
    """A read-only copy of `claim` whose reader-facing text is in `language`, or None when the
    claim has no text in it. The copy's `shown_language` says which language that is."""
    own = content_language(claim.language)
    translation = next(
        (item for item in claim.translations.all() if item.language == language), None
    )
    shown = copy.copy(claim)
    if translation is not None and language != own:
        shown.claim_reviewed = translation.claim_reviewed
        shown.rationale = translation.rationale
        shown.rationale_html = translation.rationale_html
        shown.shown_language = language
        return shown
    if language == own or own not in site_languages():
        shown.shown_language = own or language
        return shown
    return None


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


def readable_in(claims: QuerySet, language: str) -> QuerySet:
    """The claims of `claims` that read in `language` (see languages_of)."""
    in_a_site_language = Q()
    for code in site_languages():
        in_a_site_language |= Q(language=code) | Q(language__startswith=f"{code}-")
    return claims.filter(
        Q(language=language)
        | Q(language__startswith=f"{language}-")
        | Exists(ClaimTranslation.objects.filter(claim=OuterRef("pk"), language=language))
        | ~in_a_site_language
    )


def shown_in(claims, language: str) -> list[Claim]:
    """claim_in() for each claim (with prefetched translations) readable in `language`."""
    return [shown for shown in (claim_in(claim, language) for claim in claims) if shown]


def for_reader(claims: list[Claim], language: str) -> list[Claim]:
    """A list's claims as the reader of `language` should see them: each translated one in
    that language's words (one query for the lot), the others as written, their wording
    marked with its own language (`Claim.wording_language`) and linking to a page that says
    where the check can be read."""
    if not claims:
        return claims
    rows = ClaimTranslation.objects.filter(
        claim__in=[claim.pk for claim in claims], language=language
    )
    by_claim = {row.claim_id: row for row in rows}
    shown = []
    for claim in claims:
        translation = by_claim.get(claim.pk)
        if translation is None or content_language(claim.language) == language:
            shown.append(claim)
            continue
        copied = copy.copy(claim)
        copied.claim_reviewed = translation.claim_reviewed
        copied.rationale = translation.rationale
        copied.rationale_html = translation.rationale_html
        copied.shown_language = language
        shown.append(copied)
    return shown


def other_languages(claim: Claim) -> list[str]:
    """The site languages a claim's text may be translated into: all but its own."""
    own = content_language(claim.language)
    return [code for code in site_languages() if code != own]


def side_by_side(claim: Claim, evidence: list[Evidence] = ()) -> list[dict]:
    """The desk's view of a claim's languages: one row per site language (the claim's own
    first), with its short wording and rationale, or `missing` when there is none, and each
    evidence note in that language (`note` None when the note is not translated yet).

    `evidence` comes with its `translations` prefetched."""
    own = content_language(claim.language)
    by_language = {row.language: row for row in claim.translations.all()}
    rows = []
    for code in sorted(site_languages(), key=lambda code: code != own):
        if code == own:
            text = {"claim_reviewed": claim.claim_reviewed, "rationale": claim.rationale}
        elif code in by_language:
            row = by_language[code]
            text = {"claim_reviewed": row.claim_reviewed, "rationale": row.rationale}
        else:
            text = None
        rows.append(
            {
                "code": code,
                "original": code == own,
                "text": text,
                "missing_rationale": bool(text and claim.rationale and not text["rationale"]),
                "notes": [_note_in(item, code, own) for item in evidence if item.note],
            }
        )
    return rows


def _note_in(evidence: Evidence, language: str, own: str) -> dict:
    if language == own:
        note = evidence.note
    else:
        note = next((t.note for t in evidence.translations.all() if t.language == language), None)
    return {"source": str(evidence.source), "note": note}
