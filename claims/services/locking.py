"""Row locks for the services that change a claim: the one guard against lost edits."""

from lib.exceptions import EditConflict

from ..models import Claim


def claim_lock(claim_id: int, *, expected_version: int | None = None) -> Claim:
    """Fetch a claim with its row locked until the transaction ends.

    With `expected_version`, refuse (EditConflict) when someone saved it since the caller
    loaded it: that is how two people editing one claim never overwrite each other.
    """
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    if expected_version is not None and claim.version != expected_version:
        raise EditConflict(claim, expected_version)
    return claim
