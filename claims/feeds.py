"""RSS and Atom feeds of published verdicts and of corrections."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from claimants.models import Claimant
from lib.text import strip_bidi_controls

from . import selectors, translations

FEED_SIZE = 50


class VerdictsFeed(Feed):
    def title(self):
        return _("%(organization)s: latest verdicts") % {
            "organization": settings.FACTDESK_ORGANIZATION_NAME
        }

    def description(self):
        return _("Claims checked and published by %(organization)s.") % {
            "organization": settings.FACTDESK_ORGANIZATION_NAME
        }

    def link(self):
        return reverse("claims:list")

    def items(self):
        return _in_reader_language(selectors.published_claims())

    def item_title(self, claim):
        return f"{_verdict_label(claim)}: {strip_bidi_controls(claim.claim_reviewed)}"

    def item_description(self, claim):
        # Feed readers show plain text, with nothing to isolate a name: see lib/text.py.
        claimant = strip_bidi_controls(claim.claimant)
        who = _("%(claimant)s said: ") % {"claimant": claimant} if claimant else ""
        return f"{who}“{claim.quote}”"

    def item_pubdate(self, claim):
        return claim.published_at

    def item_updateddate(self, claim):
        return claim.updated_at

    def item_categories(self, claim):
        return [_verdict_label(claim)]


class VerdictsAtomFeed(VerdictsFeed):
    feed_type = Atom1Feed
    subtitle = VerdictsFeed.description


class ClaimantFeed(VerdictsFeed):
    """The latest published verdicts on one claimant's claims."""

    def get_object(self, request, slug):
        # Like the claimant's page: no feed (and no name shown) until a claim is published.
        published = selectors.published_claims().filter(speaker=OuterRef("pk"))
        return get_object_or_404(Claimant.objects.current().filter(Exists(published)), slug=slug)

    def title(self, claimant):
        return _("%(organization)s: latest verdicts on %(name)s") % {
            "organization": settings.FACTDESK_ORGANIZATION_NAME,
            "name": strip_bidi_controls(claimant.name),
        }

    def description(self, claimant):
        return _("Claims by %(name)s checked and published by %(organization)s.") % {
            "name": strip_bidi_controls(claimant.name),
            "organization": settings.FACTDESK_ORGANIZATION_NAME,
        }

    def link(self, claimant):
        return claimant.get_absolute_url()

    def items(self, claimant):
        return _in_reader_language(selectors.published_claims().filter(speaker=claimant))


class CorrectionsFeed(Feed):
    def title(self):
        return _("%(organization)s: corrections") % {
            "organization": settings.FACTDESK_ORGANIZATION_NAME
        }

    def description(self):
        return _("Every correction to a published verdict or rationale, newest first.")

    def link(self):
        return reverse("claims:corrections")

    def items(self):
        return selectors.public_corrections()[:FEED_SIZE]

    def item_title(self, correction):
        return _("Correction: %(claim)s") % {"claim": correction.claim.claim_reviewed}

    def item_description(self, correction):
        if correction.verdict_changed and correction.new_verdict:
            previous = correction.previous_verdict.label if correction.previous_verdict else "—"
            change = _("Verdict changed from %(old)s to %(new)s.") % {
                "old": previous,
                "new": correction.new_verdict.label,
            }
            return f"{change} {correction.note}"
        return correction.note

    def item_link(self, correction):
        return correction.claim.get_absolute_url() + "#corrections"

    def item_guid(self, correction):
        return f"correction-{correction.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, correction):
        return correction.created_at


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = Atom1Feed
    subtitle = CorrectionsFeed.description


def _in_reader_language(claims) -> list:
    """Each feed speaks one language (its address's): the claims written or translated into
    it, each in that language's words; never a check in another language."""
    language = get_language()
    claims = translations.readable_in(claims, language).prefetch_related(
        translations.prefetch_translations()
    )
    return translations.shown_in(claims[:FEED_SIZE], language)


def _verdict_label(claim) -> str:
    return claim.verdict.label if claim.verdict else claim.imported_rating
