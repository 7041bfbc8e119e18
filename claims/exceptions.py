"""Errors the services raise; the admin shows them as messages, the API maps them to 4xx."""

from django.core.exceptions import ValidationError


class TransitionNotAllowed(ValidationError):
    """The claim's state or content does not allow this step (API: 400)."""


class EditConflict(Exception):
    """Someone saved the claim after the caller loaded it (admin: form error; API: 412)."""

    def __init__(self, claim, expected_version: int):
        self.claim = claim
        self.expected_version = expected_version
        super().__init__(
            f"Claim {claim.pk} is at version {claim.version}, not {expected_version}: "
            "someone else saved it in the meantime."
        )
