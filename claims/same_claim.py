"""Two texts close in meaning that are still not the same claim: another figure, or the
opposite direction. The multilingual embedder puts "the debt passed 2,800 billion" and "the
debt passed 2,300 billion" (or "rose" and "fell") almost on top of each other, since it reads
topic and form, not quantities; without these two checks most near-misses of the repeat
evaluation set (bench/bench_repeats.py) were alerts.

Comparisons count apart from directions: "$4,000 more" against "$4,000 less".

Years count apart from figures: "in 2018" against "in 2022" is another claim, while a
text that gives no year ("last year") agrees with any.

All of them only ever veto: a text without figures, or without a direction, agrees with
anything, so a paraphrase in words ("a quarter", "doubled") still counts.
"""

import re

# A figure as written in Italian or English (2.800, 2,800, 0,2, 5.5, 23,608, "a million"), with
# the scale word that may follow it ("150 mila", "2,800 billion", "5.5 trillion").
FIGURE = re.compile(
    r"(?:(?<![\w.,])(\d[\d.,]*\d|\d)|(?<!\w)(?:a|one|un|uno)(?=\s+(?:million|milione|billion|"
    r"miliardo|trillion)(?!\w)))(?:\s*(thousand|mila|million|millions|milione|milioni|mln|"
    r"billion|billions|bn|miliardo|miliardi|mld|trillion|trillions|trilioni)(?!\w))?",
    re.IGNORECASE,
)
SCALES = {
    "thousand": 1e3, "mila": 1e3, "million": 1e6, "millions": 1e6, "milione": 1e6,
    "milioni": 1e6, "mln": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "miliardo": 1e9,
    "miliardi": 1e9, "mld": 1e9, "trillion": 1e12, "trillions": 1e12, "trilioni": 1e12,
}  # fmt: skip
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# A separator followed by exactly three digits groups thousands (2.800, 2,800); any other is
# the decimal mark (0,2, 5.5, 16,4), whichever the language.
THOUSANDS = re.compile(r"[.,](?=\d{3}(?!\d))")

UP = re.compile(
    r"(?<!\w)(?:rose|risen|rise|rises|rising|increased?|increases|increasing|grew|grown|grow|"
    r"gained?|gains|added|adds|created|creates|doubled|tripled|warmer|hotter|"
    r"aumentat[oaie]|aument[aio]|aumentano|cresciut[oaie]|cresce|crescono|crescerà|crescita|"
    r"raddoppiat[oaie]|raddoppia|triplicat[oaie]|salit[oaie]|sale|guadagnat[oaie]|"
    r"creat[oaie]|più caldo)(?!\w)",
    re.IGNORECASE,
)
# Comparisons ("more than", "più di") are not directions: "more Americans died from guns than
# in wars" says nothing went up.
DOWN = re.compile(
    r"(?<!\w)(?:fell|fallen|fall|falls|falling|declined?|declines|decreased?|decreases|"
    r"dropped|drops?|lost|loses?|cut|cuts|shrunk|shrink|shrinks|plummet\w*|plunged?|"
    r"colder|cooler|calat[oaie]|cala|calano|calo|diminuit[oaie]|diminuisce|scesi|sces[oa]|"
    r"scende|perso|persi|perde|perdono|tagliat[oaie]|taglia|tagli|ridott[oaie]|riduce|"
    r"crollat[oaie]|crollo|più freddo)(?!\w)",
    re.IGNORECASE,
)


# Which way a comparison goes: "more Americans died from guns than in wars" against "fewer".
# Prepositions that also compare ("over", "under", "oltre", "sotto") are left out: "under four
# years of Christie" compares nothing.
MORE = re.compile(
    r"(?<!\w)(?:more|greater|higher|bigger|larger|più|maggiore|superiore)(?!\w)", re.IGNORECASE
)
LESS = re.compile(r"(?<!\w)(?:less|fewer|lower|smaller|meno|minore|inferiore)(?!\w)", re.IGNORECASE)


def figures(text: str) -> set[float]:
    """The figures of a text, years left out, each as a value with its scale word applied and
    rounded to three significant digits: "2.800 miliardi" and "2,800 billion", "150 mila" and
    "150,000", "5.5 trillion" and "5.500 miliardi" are the same figure in two languages."""
    found = set()
    for match in FIGURE.finditer(text):
        raw, scale = match.group(1) or "1", (match.group(2) or "").lower()  # "a million": 1
        if YEAR.match(raw) and not scale:
            continue
        number = THOUSANDS.sub("", raw).replace(",", ".")
        try:
            value = float(number) * SCALES.get(scale, 1)
        except ValueError:  # "1.2.3": not a figure
            continue
        if value:
            found.add(float(f"{value:.3g}"))
    return found


def figures_agree(text: str, *others: str) -> bool:
    """False when `text` and each of `others` (a claim's short wording, its quote) both carry
    figures and share none."""
    mine = figures(text)
    if not mine:
        return True
    theirs = [figures(other) for other in others if other]
    return not theirs or any(not found or mine & found for found in theirs)


def years(text: str) -> set[str]:
    return {match.group(1) for match in FIGURE.finditer(text) if YEAR.match(match.group(1) or "")}


def years_agree(text: str, *others: str) -> bool:
    """False when `text` and each of `others` both give years and share none."""
    mine = years(text)
    theirs = [years(other) for other in others if other]
    return not mine or not theirs or any(not found or mine & found for found in theirs)


def direction(text: str) -> int:
    """+1 when the text says something went up (and nothing down), -1 the reverse, else 0."""
    up, down = bool(UP.search(text)), bool(DOWN.search(text))
    return (up and not down) - (down and not up)


def comparison(text: str) -> int:
    """+1 when the text compares upwards (more, più) and never downwards, -1 the reverse."""
    more, less = bool(MORE.search(text)), bool(LESS.search(text))
    return (more and not less) - (less and not more)


def comparisons_agree(text: str, *others: str) -> bool:
    """False when `text` says more and every one of `others` says less, or the reverse."""
    mine = comparison(text)
    theirs = [comparison(other) for other in others if other]
    return not mine or not theirs or any(found != -mine for found in theirs)


def directions_agree(text: str, *others: str) -> bool:
    """False when `text` says up and every one of `others` says down, or the reverse."""
    mine = direction(text)
    if not mine:
        return True
    theirs = [direction(other) for other in others if other]
    return not theirs or any(found != -mine for found in theirs)
