"""Errors the services raise; the admin shows them as messages, the API maps them to 4xx."""

from django.core.exceptions import ValidationError


class TransitionNotAllowed(ValidationError):
    """The claim's state or content does not allow this step (API: 400)."""
