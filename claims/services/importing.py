"""Import schema.org ClaimReview as fact-checkers publish it: one review, a list, a DataFeed
or an @graph. Each review becomes (or updates) a published claim keyed by the review's URL,
with its appearances as "origin" sources. Real markup is untidy, so the reader is lenient
(lib/claimreview_markup.py, shared with the harvester of other organisations' fact-checks):
"type" for "@type", @type as a list, dates with a space or a malformed offset, URLs without a
scheme, sameAs as a list.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib import claimreview_markup as markup
from lib.claimreview_markup import MAX_DEPTH, claim_reviews_in, nesting_depth
from lib.language import LANGUAGE_TAG, detect_language
from sources.normalization import normalize_url
from sources.services import source_get_or_create

from ..choices import ClaimStatus
from ..embeddings import claim_embed_later
from ..models import CLAIM_REVIEWED_MAX_LENGTH, Claim, ClaimEvent, Evidence, Stance, VerdictRating
from ..ratings import alias_index, verdict_for
from .attribution import speaker_for
from .slugs import unique_slug

MAX_ITEMS = 1000


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


def _short(text: str) -> str:
    if len(text) <= CLAIM_REVIEWED_MAX_LENGTH:
        return text
    cut = text[: CLAIM_REVIEWED_MAX_LENGTH - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _fields_from(review: dict, scale) -> tuple[dict, list[str], list[str]]:
    """The claim fields a review maps to, its appearance URLs, and its flags."""
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    rating_text = markup.rating_text(review)
    claimant = item.get("author") if isinstance(item.get("author"), dict) else {}
    same_as = markup.url(claimant.get("sameAs"))
    claim_reviewed = markup.text(review.get("claimReviewed"))
    verdict = verdict_for(rating_text, scale)
    fields = {
        "claim_reviewed": _short(claim_reviewed),
        "quote": claim_reviewed,
        "claimant": markup.text(claimant.get("name"))[:200],
        "claimant_is_organization": "Organization" in markup.types(claimant),
        "claimant_url": same_as if same_as.startswith(("http://", "https://")) else "",
        # itemReviewed.author as a claimant record: found by sameAs or name, created if new.
        "speaker": speaker_for(
            name=markup.text(claimant.get("name"))[:200],
            url=same_as if same_as.startswith(("http://", "https://")) else "",
            is_organization="Organization" in markup.types(claimant),
        ),
        "claimed_on": markup.parse_day(item.get("datePublished")),
        "language": _language(review),
        "verdict": verdict,
        "imported_rating": rating_text[:200],
        "imported_review": review,
        "published_at": markup.parse_when(review.get("datePublished")) or timezone.now(),
    }
    flags = [] if verdict or not rating_text else ["unknown_rating"]
    return fields, markup.appearances(item), flags


def _language(review: dict) -> str:
    """The review's own inLanguage (a tag, or a Language with one), else detected from its text."""
    given = review.get("inLanguage")
    if isinstance(given, dict):
        given = given.get("alternateName") or given.get("name")
    tag = markup.text(given)
    if LANGUAGE_TAG.match(tag):
        return tag[:16]
    item = markup.item_reviewed(review)
    words = [review.get("claimReviewed"), review.get("reviewBody"), item.get("name")]
    return detect_language(" ".join(text for text in map(markup.text, words) if text))


def _upsert(review: dict, *, actor, scale, result: ImportItemResult) -> None:
    fields, appearances, result.flags = _fields_from(review, scale)
    key = normalize_url(markup.url(review["url"]))
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
    # Every spelling of every alias, folded once for the whole document.
    scale = alias_index(VerdictRating.objects.filter(is_active=True))
    for index, review in enumerate(reviews):
        result = ImportItemResult(index=index)
        report.items.append(result)
        result.errors = markup.review_errors(review)
        if result.errors:
            continue
        result.url = markup.url(review.get("url"))
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
