"""Plain-text helpers for what readers see, free of every app."""

# Unicode's explicit directional formatting characters (UAX #9, section 2): the embeddings
# LRE/RLE, the overrides LRO/RLO and their terminator PDF, the isolates LRI/RLI/FSI and their
# terminator PDI. One left open in a name, such as an RLO (U+202E), reverses everything after
# it on the line it is shown in: the rest of the sentence, the rest of a link preview. A name
# on one line never needs them, so all are removed rather than balanced. The marks (LRM, RLM,
# ALM) are kept: they open nothing, act only on their neighbours as any Arabic or Hebrew
# letter does, and right-to-left names use them legitimately.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REMOVE_BIDI_CONTROLS = str.maketrans(dict.fromkeys(BIDI_CONTROLS))


def strip_bidi_controls(text: str) -> str:
    """`text` without embedding, override or isolate controls; for single-line names and the
    plain-text places (meta tags, JSON-LD, feeds) where HTML's <bdi> cannot isolate a value."""
    return text.translate(_REMOVE_BIDI_CONTROLS) if text else text
