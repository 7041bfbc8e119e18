"""Every write that matters. The admin, the API, commands and tests all call these."""

from .articles import article_create
from .claims import claim_create, claim_lock, claim_update, evidence_add
from .workflow import (
    claim_dismiss,
    claim_publish,
    claim_start_research,
    claim_submit_for_review,
)

__all__ = [
    "article_create",
    "claim_create",
    "claim_dismiss",
    "claim_lock",
    "claim_publish",
    "claim_start_research",
    "claim_submit_for_review",
    "claim_update",
    "evidence_add",
]
