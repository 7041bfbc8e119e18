"""Every write that matters. The admin, the API, commands and tests all call these."""

from .articles import article_create
from .claims import claim_create, claim_update, evidence_add
from .comments import comment_add
from .locking import claim_lock
from .translations import claim_translation_set, evidence_note_translation_set
from .workflow import (
    UNCHANGED,
    claim_assign,
    claim_correct,
    claim_dismiss,
    claim_publish,
    claim_reopen,
    claim_request_changes,
    claim_start_research,
    claim_submit_for_review,
    claim_unassign,
    claim_unpublish,
)

__all__ = [
    "UNCHANGED",
    "article_create",
    "claim_assign",
    "claim_correct",
    "claim_create",
    "claim_dismiss",
    "claim_lock",
    "claim_publish",
    "claim_reopen",
    "claim_request_changes",
    "claim_start_research",
    "claim_submit_for_review",
    "claim_translation_set",
    "claim_unassign",
    "claim_unpublish",
    "claim_update",
    "comment_add",
    "evidence_add",
    "evidence_note_translation_set",
]
