"""The benchmarks' made-up vocabulary (bench_similar.py, list_data.py): one copy, so every
benchmark's claims read alike."""

import random

# Common words head the vocabulary; the tail is made-up words, so the word frequencies fall
# off like a real language's (the generator picks index n * random()^3).
COMMON = (  # noqa: SIM905 (a word list reads better as one string)
    "the of and to in a is that for on was with said by as at from has have are it be were "
    "more than million per cent percent year years government minister president people "
    "country state billion new last first since increased fell rose according report data "
    "tax jobs health crime police vaccine budget election vote city law court schools prices "
    "inflation unemployment wages hospital children women workers companies energy oil gas"
).split()
SYLLABLES = "ka ro mi sen tal vor ne lu pra dis ter ma co li ven tra gor bel fi nu".split()  # noqa: SIM905


def vocabulary(size: int = 20_000) -> list[str]:
    rng = random.Random(6)
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words
