"""Import a table of checked claims: who said it, what, and the verdict (the shape of
Pagella Politica's data as published by the CheckIt! project: checkit_id, statement,
politician, verdict). Each row becomes a published claim linked to its claimant, so a newcomer
sees report cards on real data. Importing the same file again changes nothing.
"""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.text import strip_control_characters

from ..choices import ClaimStatus
from ..embeddings import claim_embed_later
from ..models import Claim, ClaimEvent, VerdictRating
from ..ratings import alias_index, verdict_for
from .attribution import speaker_for
from .importing import _short
from .slugs import unique_slug

REQUIRED_COLUMNS = ("checkit_id", "statement", "politician", "verdict")
QUOTES = "«»“”\"'"


@dataclass
class CsvImportReport:
    created: int = 0
    unchanged: int = 0
    unmapped_verdicts: dict = field(default_factory=dict)  # rating text -> rows
    rejected: list[str] = field(default_factory=list)  # "row N: why"


def csv_rows(stream) -> Iterable[dict]:
    """The file's rows; ValidationError naming the missing columns when it is not this shape."""
    reader = csv.DictReader(stream)
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            _("The file lacks the columns %(missing)s (it needs %(needed)s).")
            % {"missing": ", ".join(missing), "needed": ", ".join(REQUIRED_COLUMNS)}
        )
    return reader


def claims_csv_import(
    *,
    rows: Iterable[dict],
    source: str,
    language: str = "it",
    actor=None,
    progress: Callable[[int], None] | None = None,
) -> CsvImportReport:
    """One published claim per row, keyed by `source` and the row's id; each row on its own
    (a bad row is reported and skipped, the others go in)."""
    report = CsvImportReport()
    scale = alias_index(VerdictRating.objects.filter(is_active=True))
    for number, row in enumerate(rows, start=1):
        try:
            with transaction.atomic():
                _import_row(row, source, language, actor, scale, report)
        except ValidationError as error:
            report.rejected.append(f"row {number}: {' '.join(error.messages)}")
        if progress:
            progress(number)
    return report


def _import_row(row, source, language, actor, scale, report) -> None:
    key = f"{source}:{(row.get('checkit_id') or '').strip()}"
    statement = strip_control_characters((row.get("statement") or "").strip())
    name = (row.get("politician") or "").strip()
    if not row.get("checkit_id") or not statement or not name:
        raise ValidationError(_("needs an id, a statement and who said it."))
    if Claim.objects.filter(import_key=key).exists():
        report.unchanged += 1
        return
    rating = (row.get("verdict") or "").strip()
    verdict = verdict_for(rating, scale)
    if verdict is None:
        report.unmapped_verdicts[rating] = report.unmapped_verdicts.get(rating, 0) + 1
    wording = _short(statement.strip(QUOTES).strip())
    claim = Claim(
        import_key=key,
        quote=statement,
        claim_reviewed=wording,
        claimant=name[:200],
        speaker=speaker_for(name=name, actor=actor),
        language=language,
        verdict=verdict,
        imported_rating=rating[:200],
        status=ClaimStatus.PUBLISHED,
        published_at=timezone.now(),
        created_by=actor,
        slug=unique_slug(Claim, wording),
    )
    claim.full_clean()
    claim._history_user = actor
    claim.save()
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.IMPORTED,
        actor=actor,
        to_status=claim.status,
        data={"source": source, "key": key},
    )
    claim_embed_later(claim.pk)
    report.created += 1
