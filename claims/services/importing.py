"""Import schema.org ClaimReview as fact-checkers publish it: one review, a list, a DataFeed
or an @graph. Each review becomes (or updates) a published claim keyed by the review's URL,
with its appearances as "origin" sources. Real markup is untidy, so the reader is lenient:
"type" for "@type", @type as a list, dates with a space or a malformed offset, URLs without a
scheme, sameAs as a list.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from sources.normalization import normalize_url
from sources.services import source_get_or_create

from ..choices import ClaimStatus
from ..embeddings import claim_embed_later
from ..models import CLAIM_REVIEWED_MAX_LENGTH, Claim, ClaimEvent, Evidence, Stance, VerdictRating
from .attribution import speaker_for
from .slugs import unique_slug

MAX_ITEMS = 1000
# Real ClaimReview markup nests a few levels (DataFeed > DataFeedItem > ClaimReview >
# itemReviewed > author); the walks below recurse, so a deeper document is refused up front.
MAX_DEPTH = 32


@dataclass
class ImportItemResult:
    index: int
    url: str = ""
    result: str = "rejected"  # created, updated, unchanged or rejected
    claim: int | None = None
    errors: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    items: list[ImportItemResult] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for item in self.items if item.result == result)

    def as_dict(self) -> dict:
        return {
            **{k: self.count(k) for k in ("created", "updated", "unchanged", "rejected")},
            "items": [item.__dict__ for item in self.items],
        }


def _types(node) -> set[str]:
    if not isinstance(node, dict):
        return set()
    raw = node.get("@type", node.get("type", []))
    raw = raw if isinstance(raw, list) else [raw]
    return {str(t).rsplit("/", 1)[-1] for t in raw}


def nesting_depth(document) -> int:
    """How deep lists and objects nest in `document` (a scalar is 0), without recursing."""
    deepest, pending = 0, [(document, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in node)
    return deepest


def claim_reviews_in(document) -> list:
    """Every ClaimReview in a document, in order (anything else that is not one is kept as an
    item too, so the report can say why it was rejected)."""
    if isinstance(document, list):
        return [review for node in document for review in claim_reviews_in(node)]
    if not isinstance(document, dict):
        return [document]
    if "@graph" in document:
        return claim_reviews_in(document["@graph"])
    types = _types(document)
    if "DataFeed" in types:
        return claim_reviews_in(document.get("dataFeedElement", []))
    if "DataFeedItem" in types:
        return claim_reviews_in(document.get("item", []))
    return [document]


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or ""
    return str(value or "").strip()


def _url(value) -> str:
    url = _text(value)
    if url and "://" not in url and "." in url.split("/")[0]:
        url = "https://" + url  # "factcheck.example.org" as some publishers write it
    return url


_BAD_OFFSET = re.compile(r"([+-])(\d):(\d\d)$")


def _datetime(value) -> datetime | None:
    raw = _text(value).replace(" ", "T", 1)
    raw = _BAD_OFFSET.sub(r"\g<1>0\2:\3", raw)  # "+5:30" -> "+05:30"
    try:
        parsed = parse_datetime(raw)
        if parsed is None:
            day = parse_date(raw[:10])
            parsed = datetime.combine(day, time(12)) if day else None
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _date(value) -> date | None:
    parsed = _datetime(value)
    return parsed.date() if parsed else None


def _verdict_for(rating_text: str, scale: list[VerdictRating]) -> VerdictRating | None:
    wanted = rating_text.strip().casefold()
    if not wanted:
        return None
    return next((verdict for verdict in scale if wanted in verdict.alias_set()), None)


def _short(text: str) -> str:
    if len(text) <= CLAIM_REVIEWED_MAX_LENGTH:
        return text
    cut = text[: CLAIM_REVIEWED_MAX_LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _appearances(item: dict) -> list[str]:
    urls = [_url(item.get("url"))]
    for key in ("appearance", "firstAppearance"):
        value = item.get(key) or []
        for node in value if isinstance(value, list) else [value]:
            urls.append(_url(node.get("url") if isinstance(node, dict) else node))
    return [url for url in dict.fromkeys(urls) if url.startswith(("http://", "https://"))]


def _rating_text(review: dict) -> str:
    """The rating in words; a bare number is kept as "value/best" for an editor to map."""
    rating = review.get("reviewRating") if isinstance(review.get("reviewRating"), dict) else {}
    text = _text(rating.get("alternateName") or review.get("textualRating"))
    if not text and _text(rating.get("ratingValue")):
        text = f"{_text(rating.get('ratingValue'))}/{_text(rating.get('bestRating')) or '?'}"
    return text


def _fields_from(review: dict, scale) -> tuple[dict, list[str], list[str]]:
    """The claim fields a review maps to, its appearance URLs, and its flags."""
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    rating_text = _rating_text(review)
    claimant = item.get("author") if isinstance(item.get("author"), dict) else {}
    same_as = _url(claimant.get("sameAs"))
    claim_reviewed = _text(review.get("claimReviewed"))
    verdict = _verdict_for(rating_text, scale)
    fields = {
        "claim_reviewed": _short(claim_reviewed),
        "quote": claim_reviewed,
        "claimant": _text(claimant.get("name"))[:200],
        "claimant_is_organization": "Organization" in _types(claimant),
        "claimant_url": same_as if same_as.startswith(("http://", "https://")) else "",
        # itemReviewed.author as a claimant record: found by sameAs or name, created if new.
        "speaker": speaker_for(
            name=_text(claimant.get("name"))[:200],
            url=same_as if same_as.startswith(("http://", "https://")) else "",
            is_organization="Organization" in _types(claimant),
        ),
        "claimed_on": _date(item.get("datePublished")),
        "language": (_text(review.get("inLanguage")) or "und")[:16],
        "verdict": verdict,
        "imported_rating": rating_text[:200],
        "imported_review": review,
        "published_at": _datetime(review.get("datePublished")) or timezone.now(),
    }
    flags = [] if verdict or not rating_text else ["unknown_rating"]
    return fields, _appearances(item), flags


def _has_nul(node) -> bool:
    # PostgreSQL stores no NUL character in text or jsonb: refuse it here, not with a crash.
    if isinstance(node, str):
        return "\x00" in node
    if isinstance(node, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in node.items())
    if isinstance(node, list):
        return any(_has_nul(item) for item in node)
    return False


def _review_errors(review) -> list[str]:
    if not isinstance(review, dict) or "ClaimReview" not in _types(review):
        return [_("Not a ClaimReview.")]
    if _has_nul(review):
        return [_("The review contains NUL characters.")]
    errors = []
    if not _url(review.get("url")).startswith(("http://", "https://")):
        errors.append(_("url: the review's URL is missing or not http(s)."))
    if not _text(review.get("claimReviewed")):
        errors.append(_("claimReviewed: missing."))
    if not _rating_text(review):
        errors.append(_("reviewRating: missing, so there is no verdict to keep."))
    return errors


def _upsert(review: dict, *, actor, scale, result: ImportItemResult) -> None:
    fields, appearances, result.flags = _fields_from(review, scale)
    key = normalize_url(_url(review["url"]))
    claim = Claim.objects.select_for_update().filter(import_key=key).first()
    if (
        claim is not None
        and fields["verdict"] is None
        and claim.verdict_id is not None
        and claim.imported_rating == fields["imported_rating"]
    ):
        # An editor has already mapped this rating onto the scale: keep their choice.
        del fields["verdict"]
        result.flags = []
    if claim is None:
        claim = Claim(import_key=key, status=ClaimStatus.PUBLISHED, created_by=actor)
        claim.slug = unique_slug(Claim, fields["claim_reviewed"])
        result.result = "created"
    elif any(getattr(claim, name) != value for name, value in fields.items()):
        result.result = "updated"
    else:
        result.result = "unchanged"
    if result.result == "unchanged":
        result.claim = claim.pk
        return
    wording_changed = result.result == "created" or claim.claim_reviewed != fields["claim_reviewed"]
    for name, value in fields.items():
        setattr(claim, name, value)
    claim.full_clean()
    if result.result == "updated":
        claim.save_new_version(actor=actor)
    else:
        claim._history_user = actor
        claim.save()
    if wording_changed:
        claim_embed_later(claim.pk)
    for url in appearances:
        source, _created = source_get_or_create(url=url)
        Evidence.objects.get_or_create(
            claim=claim, source=source, stance=Stance.ORIGIN, defaults={"added_by": actor}
        )
    ClaimEvent.objects.create(
        claim=claim,
        kind=ClaimEvent.Kind.IMPORTED,
        actor=actor,
        to_status=claim.status,
        data={"url": key, "result": result.result},
    )
    result.claim = claim.pk


def claimreview_import(*, document, actor) -> ImportReport:
    """Create or update a published claim per ClaimReview in `document`; report each item.

    Items are independent: a rejected one changes nothing and does not stop the others. A
    document nested deeper than MAX_DEPTH is refused whole (ValidationError), before any walk.
    Importing the same document again finds every claim by its review URL and changes nothing.
    """
    if nesting_depth(document) > MAX_DEPTH:
        raise ValidationError(
            _("The document nests deeper than %(n)s levels; no ClaimReview is that deep.")
            % {"n": MAX_DEPTH},
            code="too_deep",
        )
    reviews = claim_reviews_in(document)
    report = ImportReport()
    if len(reviews) > MAX_ITEMS:
        raise ValidationError(
            _("Send at most %(n)s ClaimReviews per request.") % {"n": MAX_ITEMS}, code="too_many"
        )
    scale = list(VerdictRating.objects.filter(is_active=True))
    for index, review in enumerate(reviews):
        result = ImportItemResult(index=index)
        report.items.append(result)
        result.errors = _review_errors(review)
        if result.errors:
            continue
        result.url = _url(review.get("url"))
        try:
            with transaction.atomic():
                _upsert(review, actor=actor, scale=scale, result=result)
        except ValidationError as error:
            result.result, result.claim = "rejected", None
            result.errors = [
                f"{name}: {message}" if name != "__all__" else message
                for name, messages in getattr(
                    error, "message_dict", {"__all__": error.messages}
                ).items()
                for message in messages
            ]
    return report
