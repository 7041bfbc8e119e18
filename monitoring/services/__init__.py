"""Every write of monitored items and sentences: storing what a source said, transcripts
(uploaded whole or posted a line at a time), opening a sentence as a claim, pruning.

    result = item_ingest(source=..., text=..., url=...)      # a feed entry, a page
    results = items_ingest(source=..., items=[ItemText(...)])  # a run's items, one model call
    run = transcript_upload(source=..., text=...)            # an SRT, WebVTT or plain file
    sentences = transcript_line_add(source=..., text=...)    # one line of a live event
    claim = sentence_open_as_claim(sentence=..., actor=...)  # the morning list's action
    sentences_prune()                                        # the retention period

Each text goes through the one intake pipeline (claims.pipeline.text_analyse) once, in one
batch. A sentence is kept when it is check-worthy (claims.detection.THRESHOLD) or repeats a
published check; a repeat is also recorded as a sighting of that check
(claims.services.sightings.sighting_record), which alerts the editors.
"""

from .claims import sentence_open_as_claim
from .items import (
    Ingested,
    ItemText,
    RunLog,
    content_hash,
    item_ingest,
    items_ingest,
    log_ingested,
    run_finish,
    sentences_prune,
)
from .transcripts import transcript_line_add, transcript_upload

__all__ = [
    "Ingested",
    "ItemText",
    "RunLog",
    "content_hash",
    "item_ingest",
    "items_ingest",
    "log_ingested",
    "run_finish",
    "sentence_open_as_claim",
    "sentences_prune",
    "transcript_line_add",
    "transcript_upload",
]
