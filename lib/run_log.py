"""A run's reasons, kept bounded whatever a source sends: a feed of 10,000 broken items must
not write 10,000 lines into its health log. Shared by the fact-check harvest and monitoring."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Where a reason happened (an item's URL, a line) is shown this long at most: a source can send
# a link of thousands of characters, and the reason is read in a table of the health log.
WHERE_CHARS = 200


def _shortened(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


@dataclass
class Reasons:
    """Reasons, each "where: why", at most `limit` (then one line saying how many more)."""

    limit: int = 50
    errors: list[str] = field(default_factory=list)
    dropped: int = 0

    def reason(self, where: str, why: str) -> None:
        if len(self.errors) < self.limit:
            self.errors.append(_shortened(where, WHERE_CHARS) + ": " + why if where else why)
        else:
            self.dropped += 1

    def reasons(self) -> list[str]:
        if self.dropped:
            return [*self.errors, _("… and %(n)s more reasons.") % {"n": self.dropped}]
        return list(self.errors)
