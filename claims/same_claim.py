"""When a text says the same claim as a published check (`is_repeat`, the one rule for tips and
monitoring), and when two texts close in meaning are still not the same claim: another figure,
or the opposite direction. The multilingual embedder puts "the debt passed 2,800 billion" and
"the debt passed 2,300 billion" (or "rose" and "fell") almost on top of each other, since it
reads topic and form, not quantities; without these two checks most near-misses of the repeat
evaluation set (bench/bench_repeats.py) were alerts.

Comparisons count apart from directions: "$4,000 more" against "$4,000 less". So do
movements across a boundary: "into the workforce" against "out of the workforce".

Years count apart from figures: "in 2018" against "in 2022" is another claim, while a
text that gives no year ("last year") agrees with any.

A text that says two things go two ways ("Texas created a million jobs while the nation lost
two million") has no direction as a whole; there each direction word is read with the figure
nearest to it and the words just before it (what went that way). The same figure going the
other way in the other text is another claim, and so are subjects swapped (what went up goes
down and what went down goes up): swapping who gains and who loses keeps every figure and
every word.

Places and people count too: another country or region in place of the claim's, the same
figures said of the other place (roles swapped), and, between texts in one language, another
person or party named in place of the claim's.

All of them only ever veto: a text without figures, or without a direction, agrees with
anything, so a paraphrase in words ("a quarter", "doubled") still counts.
"""

import functools
import re
from collections import defaultdict

from lib.language import UNDETERMINED

from .names import name_groups, word_keys
from .places import countries, place_mentions, regions

# How sure a match must be to count as a repeat of a published check: by meaning (cosine of
# the multilingual embeddings) or by wording (trigram/full-text similarity, 0-1), and then not
# contradicted (the checks below). Chosen on the first four sets of
# bench/data/repeats_eval.jsonl (bench/bench_repeats.py; docs/intake.md has the figures of
# each set, and of the blind set they were not chosen on). The intake pipeline asks wording only
# for sentences 0.6 to 0.70 from a claim by meaning (claims.pipeline), so a wording repeat is
# also close in meaning; alone (a language the embedder does not read) 0.5 means half the
# trigrams shared.
REPEAT_MIN_COSINE = 0.70
REPEAT_MIN_WORDING = 0.5
# The embedder reads a translation as less alike than a paraphrase in the same language: on the
# first five evaluation sets, 98 of 150 translated repeats are 0.70 or closer to their claim and
# 118 are 0.65 or closer, against 7 and 9 of the 93 other matches across languages (near-misses,
# other claims). So a text whose language is known and is not the check's needs less.
REPEAT_MIN_COSINE_ACROSS_LANGUAGES = 0.65
# A shortened or translated repeat loses the words that made the claim specific and reads
# less alike to the embedder ("Australia, sbarchi da 20mila a 157" is 0.57 from the claim it
# shortens). Down to this cosine, a match that shares a figure or a year with the claim
# (details_shared) is close enough, provided every figure it gives is the claim's
# (figures_agree) and no check below says otherwise; a plain lower bar lets in as many
# near-misses as repeats (docs/intake.md).
REPEAT_MIN_COSINE_WITH_DETAILS = 0.50

# A figure as written in Italian or English (2.800, 2,800, 0,2, 5.5, 23,608, "a million",
# "cinque miliardi"), or in Spanish, Portuguese, French or German, whose translations of a
# claim keep its figures (5 000 with spaces, "60.000 millones", "12,2 milhões"), with the scale
# word that may follow it ("150 mila", "2,800 billion", "5.5 trillion"). A number in words
# counts only before a scale word: "one of the two" and "sei" ("you are") give no figure. A
# number joined to a word by a hyphen is part of a name ("Covid-19", "BR-101", "F-35"); a scale
# word joined to a number is the number's ("22-million new jobs", as LIAR's statements write).
NUMBER_WORDS = {
    "a": 1, "one": 1, "un": 1, "uno": 1, "two": 2, "due": 2, "three": 3, "tre": 3, "four": 4,
    "quattro": 4, "five": 5, "cinque": 5, "six": 6, "sei": 6, "seven": 7, "sette": 7,
    "eight": 8, "otto": 8, "nine": 9, "nove": 9, "ten": 10, "dieci": 10,
}  # fmt: skip
SCALES = {
    "thousand": 1e3, "mila": 1e3, "mil": 1e3, "mille": 1e3, "tausend": 1e3,
    "million": 1e6, "millions": 1e6, "milione": 1e6, "milioni": 1e6, "mln": 1e6,
    "millón": 1e6, "millon": 1e6, "millones": 1e6, "milhão": 1e6, "milhões": 1e6,
    "millionen": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "miliardo": 1e9, "miliardi": 1e9, "mld": 1e9,
    "mil millones": 1e9, "milliard": 1e9, "milliards": 1e9, "bilhão": 1e9, "bilhões": 1e9,
    "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9,
    "trillion": 1e12, "trillions": 1e12, "trilioni": 1e12, "billón": 1e12, "billones": 1e12,
    "trilhão": 1e12, "trilhões": 1e12, "billionen": 1e12,
}  # fmt: skip
# Longest first, so that "mil millones" is not read as "mil".
_SCALE_WORDS = "|".join(word.replace(" ", r"\s+") for word in sorted(SCALES, key=len, reverse=True))
FIGURE = re.compile(
    r"(?:(?<![\w.,])(?<!\w-)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d[\d.,]*\d|\d)"
    r"|(?<!\w)(" + "|".join(NUMBER_WORDS) + r")(?=\s+(?:million|millions|milione|milioni|"
    r"billion|billions|miliardo|miliardi|trillion|trillions)(?!\w)))"
    rf"(?:(?:\s*|-)({_SCALE_WORDS})(?!\w))?",
    re.IGNORECASE,
)
# "Movimento 5 Stelle", Italy's party, is a name.
NOT_A_FIGURE = re.compile(r"\s+stelle(?!\w)", re.IGNORECASE)
YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# A day of the month is a date, not a figure: "il 25 aprile", "on April 25", "the 3rd of May".
MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|gennaio|febbraio|marzo|aprile|"
    r"maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)"
)
MONTH_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTHS + r"(?!\w)", re.IGNORECASE)
MONTH_BEFORE = re.compile(r"(?<!\w)" + MONTHS + r"\.?\s+$", re.IGNORECASE)
# A separator followed by exactly three digits groups thousands (2.800, 2,800); any other is
# the decimal mark (0,2, 5.5, 16,4), whichever the language.
THOUSANDS = re.compile(r"[.,](?=\d{3}(?!\d))")

UP = re.compile(
    r"(?<!\w)(?:rose|risen|rise|rises|rising|increased?|increases|increasing|grew|grown|grow|"
    r"gained?|gains|added|adds|created|creates|hired|hires|hiring|doubled|tripled|warmer|hotter|"
    r"soared|soars|surged|surges|jumped|skyrocketed|"
    r"aumentat[oaie]|aument[aio]|aumentano|aumentava(?:no)?|aumenterà|aumenteranno|"
    r"cresciut[oaie]|cresce|crescono|cresceva(?:no)?|crescerà|cresceranno|crescita|"
    r"raddoppiat[oaie]|raddoppia|raddoppierà|raddoppieranno|triplicat[oaie]|"
    r"salit[oaie]|sale|saliva(?:no)?|salirà|saliranno|guadagnat[oaie]|creat[oaie]|"
    r"assunt[oaie]|assunzioni|incremento|incrementi|incrementat[oaie]|"
    r"più caldo)(?!\w)",
    re.IGNORECASE,
)
# Comparisons ("more than", "più di") are not directions: "more Americans died from guns than
# in wars" says nothing went up.
DOWN = re.compile(
    r"(?<!\w)(?:fell|fallen|fall|falls|falling|declined?|declines|decreased?|decreases|"
    r"dropped|drops?|lost|loses?|cut|cuts|shrunk|shrink|shrinks|plummet\w*|plunged?|halved|"
    r"colder|cooler|calat[oaie]|cala|calano|calava(?:no)?|calerà|caleranno|calo|"
    r"diminuit[oaie]|diminuisce|diminuiscono|diminuirà|diminuiranno|scesi|sces[oa]|scende|"
    r"scendeva(?:no)?|scenderà|scenderanno|perso|persi|perde|perdono|perdeva(?:no)?|"
    r"perderà|perderanno|tagliat[oaie]|taglia|tagli|ridott[oaie]|riduce|crollat[oaie]|"
    r"crollo|crollerà|dimezzat[oaie]|più freddo)(?!\w)",
    re.IGNORECASE,
)


# Which way a comparison goes: "more Americans died from guns than in wars" against "fewer".
# Prepositions that also compare ("over", "under", "oltre", "sotto") are left out: "under four
# years of Christie" compares nothing.
MORE = re.compile(
    r"(?<!\w)(?:more|greater|higher|bigger|larger|più|maggiore|superiore)(?!\w)", re.IGNORECASE
)
LESS = re.compile(r"(?<!\w)(?:less|fewer|lower|smaller|meno|minore|inferiore)(?!\w)", re.IGNORECASE)

# Which way people or things move across a boundary: "bring 2.5 million Americans into the
# workforce" against "drive them out of it". "Out of" before a number ("three out of four")
# is a share, not a way out.
INTO = re.compile(
    r"(?<!\w)(?:into|enter|enters|entered|entering|entrare|entra|entrano|entrat[oaie]|"
    r"entreranno|entrerà)(?!\w)",
    re.IGNORECASE,
)
OUT_OF = re.compile(
    r"(?<!\w)(?:out\s+of(?!\s+(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)\b)|"
    r"exit|exits|exited|uscire|esce|escono|uscit[oaie]|usciranno|uscirà|fuori)(?!\w)",
    re.IGNORECASE,
)


# Words that say a claim's other side, in pairs, as the languages of the desk's checks write
# them: "the deficit stayed below 3%" against "passed 3%", "a trade surplus" against "a trade
# deficit", "a profit of 392 million" against "a loss". "Sotto" and "sopra" count only before a
# level ("sotto il 3%", "sopra la media"): "sotto Strickland" is a time, as "under" is. German
# nouns are compounds ("Handelsüberschuss").
_LEVEL = (
    r"(?=\s+(?:(?:il|la|lo|l'|i|gli|le|al|alla|allo|ai|agli|alle|del|della|dello)\s*)?"
    r"(?:\d|livell|soglia|media|quota|limite|tetto))"
)
ABOVE = re.compile(
    r"(?<!\w)(?:above|exceed|exceeds|exceeded|exceeding|surpass|surpassed|surpasses|"
    rf"superat[oaie]|supera|superano|superare|superer[àa]|sopra{_LEVEL}|al di sopra|"
    r"por encima|acima|au-dessus|dépass[eé]\w*)(?!\w)",
    re.IGNORECASE,
)
BELOW = re.compile(
    rf"(?<!\w)(?:below|beneath|sotto{_LEVEL}|al di sotto|por debajo|abaixo|au-dessous|"
    r"en dessous)(?!\w)",
    re.IGNORECASE,
)
SURPLUS = re.compile(
    r"(?<!\w)(?:surplus|surpluses|avanzo|avanzi|super[áa]vit|excédents?|\w*überschuss\w*)(?!\w)",
    re.IGNORECASE,
)
DEFICIT = re.compile(
    r"(?<!\w)(?:deficits?|disavanzo|disavanzi|d[ée]ficit|\w*defizit\w*)(?!\w)", re.IGNORECASE
)
PROFIT = re.compile(
    r"(?<!\w)(?:profits?|profitt[oi]|lucro|lucros|\w*gewinn\w*|bénéfices?|ganancias?)(?!\w)",
    re.IGNORECASE,
)
LOSS = re.compile(
    r"(?<!\w)(?:loss|losses|perdit[ae]|preju[íi]zos?|\w*verlust\w*|pertes?|p[ée]rdidas?)(?!\w)",
    re.IGNORECASE,
)
OPPOSITES = ((ABOVE, BELOW), (SURPLUS, DEFICIT), (PROFIT, LOSS))


# What a text says (its figures, years, directions, places...) is read once per text: the
# pipeline asks is_repeat of a sentence for each of its matches, and of a claim for every
# sentence that matches it, so the same texts come back again and again (read each time, the
# checks cost 15-20% of the pipeline's time: docs/intake.md). The readings are immutable.
read_once = functools.lru_cache(maxsize=8192)


@read_once
def figures(text: str) -> frozenset[float]:
    """The figures of a text, years left out, each as a value with its scale word applied and
    rounded to three significant digits: "2.800 miliardi" and "2,800 billion", "150 mila" and
    "150,000", "5.5 trillion" and "5.500 miliardi" are the same figure in two languages."""
    return frozenset(value for _, _, value in _figures_at(text))


def _figures_at(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of each figure of `text`, years left out."""
    found = []
    for match in FIGURE.finditer(text):
        digits, word, scale = match.group(1), match.group(2), (match.group(3) or "").lower()
        scale = " ".join(scale.split())
        raw = digits or str(NUMBER_WORDS[word.lower()])
        if NOT_A_FIGURE.match(text, match.end()):
            continue
        if YEAR.match(raw) and not scale:
            continue
        if not scale and _is_day_of_month(text, match.start(), match.end(), raw):
            continue
        number = THOUSANDS.sub("", "".join(raw.split())).replace(",", ".")
        try:
            value = float(number) * SCALES.get(scale, 1)
        except ValueError:  # "1.2.3": not a figure
            continue
        if value:
            found.append((match.start(), match.end(), float(f"{value:.3g}")))
    return found


def _is_day_of_month(text: str, start: int, end: int, raw: str) -> bool:
    if not raw.isdigit() or not 1 <= int(raw) <= 31:
        return False
    before = text[max(0, start - 12) : start]
    return bool(MONTH_AFTER.match(text, end) or MONTH_BEFORE.search(before))


def figures_agree(text: str, *others: str) -> bool:
    """False when `text` gives a figure that none of `others` (a claim's short wording, its
    quote) gives, and they give figures: "18 mila distributori in Italia, 14 mila in
    Germania" is not "22 mila in Italia, 14 mila in Germania", though one figure is the same.
    A repeat keeps the claim's figures or some of them (shortened), never new ones."""
    mine = figures(text)
    theirs = set().union(*(figures(other) for other in others if other))
    return not mine or not theirs or mine <= theirs


@read_once
def years(text: str) -> frozenset[str]:
    return frozenset(
        match.group(1) for match in FIGURE.finditer(text) if YEAR.match(match.group(1) or "")
    )


def years_agree(text: str, *others: str) -> bool:
    """False when `text` and each of `others` both give years and share none."""
    mine = years(text)
    theirs = [years(other) for other in others if other]
    return not mine or not theirs or any(not found or mine & found for found in theirs)


def _way(ahead: re.Pattern, back: re.Pattern, text: str) -> int:
    """+1 when `text` says `ahead` and never `back`, -1 the reverse, else 0."""
    said_ahead, said_back = bool(ahead.search(text)), bool(back.search(text))
    return (said_ahead and not said_back) - (said_back and not said_ahead)


def _ways_agree(way, text: str, others) -> bool:
    """False when `text` goes one way (`way`: +1 or -1) and every one of `others` the other."""
    return _way_agrees(way(text), [way(other) for other in others if other])


def _way_agrees(mine: int, theirs: list[int]) -> bool:
    """False when `mine` is a way (+1 or -1) and every one of `theirs` is the other."""
    return not mine or not theirs or any(found != -mine for found in theirs)


@read_once
def direction(text: str) -> int:
    """+1 when the text says something went up (and nothing down), -1 the reverse, else 0."""
    return _way(UP, DOWN, text)


@read_once
def comparison(text: str) -> int:
    """+1 when the text compares upwards (more, più) and never downwards, -1 the reverse."""
    return _way(MORE, LESS, text)


def comparisons_agree(text: str, *others: str) -> bool:
    """False when `text` says more and every one of `others` says less, or the reverse."""
    return _ways_agree(comparison, text, others)


@read_once
def movement(text: str) -> int:
    """+1 when the text says in (into, entrare) and never out, -1 the reverse, else 0."""
    return _way(INTO, OUT_OF, text)


def movements_agree(text: str, *others: str) -> bool:
    """False when `text` says in and every one of `others` says out, or the reverse."""
    return _ways_agree(movement, text, others)


@read_once
def opposites(text: str) -> tuple[int, ...]:
    """Which side of each pair of OPPOSITES the text is on: +1, -1, or 0 (neither, or both)."""
    return tuple(_way(ahead, back, text) for ahead, back in OPPOSITES)


def opposites_agree(text: str, *others: str) -> bool:
    """False when `text` is on one side of a pair of OPPOSITES (above, surplus, profit) and
    every one of `others` on the other (below, deficit, loss)."""
    theirs = [opposites(other) for other in others if other]
    return all(
        _way_agrees(mine, [found[pair] for found in theirs])
        for pair, mine in enumerate(opposites(text))
    )


def directions_agree(text: str, *others: str) -> bool:
    """False when `text` says up and every one of `others` says down, or the reverse."""
    return _ways_agree(direction, text, others)


# --- Which figure and which subject goes which way ----------------------------------------
#
# A text can say two things go two ways ("Texas created a million jobs while the nation lost
# two million"): `direction` reads it as no direction at all, so the reverse claim agreed with
# it. Within each clause, each direction word goes with its nearest figure and with the words
# just before it (its subject, in both languages' usual order).

# What ends a clause: a full stop, a semicolon, or a conjunction that sets two facts side by
# side ("while", "mentre"), after which a new subject comes. Commas do not: "In Texas, we
# created" is one clause.
CLAUSE_BREAK = re.compile(
    r"[.;:!?]+(?=\s|$)|(?<!\w)(?:while|whereas|but|although|though|whilst|mentre|ma|però|"
    r"invece|sebbene|anche se)(?!\w)",
    re.IGNORECASE,
)
# How many words before a direction word name what went that way: "la popolazione europea
# sarà raddoppiata", "Oregon's revenue forecasts dropped".
SUBJECT_WORDS = 2
WORD = re.compile(r"[^\W\d_]+(?:['’]s)?", re.IGNORECASE)
# Words that never name what went up or down, skipped on the way back from a direction word:
# articles, pronouns, prepositions, auxiliaries ("will have doubled", "sarà raddoppiata") and
# the verbs of a forecast ("is expected to shrink", "si prevede un calo").
NOT_SUBJECTS = frozenset(
    """
    a an the this that these those its it their his her our my your we they he she you i of
    in on at to for from by with as than then so and or not no there here which who what is
    are was were be been being has have had will would shall should can could may might must
    do does did get got expected likely
    il lo la i gli le un uno una l dell della dello degli delle dei del al alla allo agli
    alle ai di da in su per con tra fra a e o che chi cui non ci si ne noi loro suo sua suoi
    sue nostro nostra nostri nostre quello quella quelli quelle questo questa questi queste è
    sono era erano sarà saranno stato stata stati state essere ha hanno ho abbiamo aveva
    avevano avrà avranno viene vengono prevede previsto prevista
    """.split()  # noqa: SIM905 (a list literal of 150 words would not be read)
)
# Italian subject words and the English word they are compared as, where the two do not
# share their first letters ("africana" and "Africa's" do, "popolazione" and "population"
# do not).
SUBJECT_IN_ENGLISH = {
    "popolazione": "population", "famiglie": "families", "famiglia": "family",
    "disoccupazione": "unemployment", "occupazione": "employment", "occupati": "employed",
    "tasse": "taxes", "imposte": "taxes", "debito": "debt", "salari": "wages",
    "stipendi": "wages", "prezzi": "prices", "entrate": "revenue", "spesa": "spending",
    "lavoratori": "workers", "dipendenti": "employees", "posti": "jobs", "aziende": "companies",
    "imprese": "companies", "nascite": "births", "morti": "deaths", "decessi": "deaths",
    "esportazioni": "exports", "importazioni": "imports", "pil": "gdp",
    "spagna": "spain", "germania": "germany", "cina": "china", "paese": "country",
}  # fmt: skip


def _directions_at(clause: str) -> list[tuple[int, int, int]]:
    """(start, end, +1 or -1) of each direction word of a clause, in order."""
    words = [(m.start(), m.end(), 1) for m in UP.finditer(clause)]
    words += [(m.start(), m.end(), -1) for m in DOWN.finditer(clause)]
    return sorted(words)


def _one_way(pairs) -> dict:
    """{key: sign} of (key, sign) pairs, keys said to go both ways left out."""
    signs = defaultdict(set)
    for key, sign in pairs:
        signs[key].add(sign)
    return {key: next(iter(found)) for key, found in signs.items() if len(found) == 1}


@read_once
def figure_directions(text: str) -> dict[float, int]:
    """Each direction word of `text` with the nearest figure of its clause: "lost over 1
    million jobs" gives {1e6: -1}. A figure no direction word is nearest to is left out, as in
    "paid 9,000 workers as revenue fell $4 billion", where "fell" goes with $4 billion."""
    pairs = []
    for clause in CLAUSE_BREAK.split(text):
        found = _figures_at(clause)
        for start, end, sign in _directions_at(clause) if found else ():
            *_, value = min(found, key=lambda figure: _gap((start, end), figure[:2]))
            pairs.append((value, sign))
    return _one_way(pairs)


def _gap(one: tuple[int, int], other: tuple[int, int]) -> int:
    """Characters between two spans of a text."""
    return max(one[0] - other[1], other[0] - one[1], 0)


@read_once
def subject_directions(text: str) -> dict[str, int]:
    """What goes which way in `text`: the SUBJECT_WORDS words before each direction word in its
    clause (past the previous one), each as `subject_key`, with the direction word's sign.
    "la popolazione europea sarà raddoppiata" gives {"popul": +1, "europ": +1}."""
    pairs = []
    for clause in CLAUSE_BREAK.split(text):
        after = 0
        for start, end, sign in _directions_at(clause):
            words = [w for w in WORD.findall(clause[after:start]) if w.lower() not in NOT_SUBJECTS]
            pairs += [(subject_key(word), sign) for word in words[-SUBJECT_WORDS:]]
            after = end
    return _one_way(pairs)


def subject_key(word: str) -> str:
    """A word as compared across texts and languages: lower case, without an English
    possessive, in English where SUBJECT_IN_ENGLISH says so, cut to its first five letters so
    that "africani", "africana", "Africa's" and "African" are one subject."""
    word = word.lower().removesuffix("'s").removesuffix("’s")
    return SUBJECT_IN_ENGLISH.get(word, word)[:5]


def _flips(mine: dict, others: list[dict]) -> set[int]:
    """The ways (+1, -1) that things go in `mine` while `others` say they go only the other."""
    theirs = _one_way((key, sign) for other in others for key, sign in other.items())
    return {sign for key, sign in mine.items() if theirs.get(key) == -sign}


def figure_directions_agree(text: str, *others: str) -> bool:
    """False when a figure of `text` goes one way and the same figure in `others` (a claim's
    short wording, its quote) the other."""
    return not _flips(figure_directions(text), [figure_directions(o) for o in others if o])


def subject_directions_agree(text: str, *others: str) -> bool:
    """False when what goes up in `text` goes down in `others` and what goes down goes up:
    "Europe doubles, Africa falls" against "Africa doubles, Europe falls". One subject
    flipped alone is not enough: a subject's words are only the words before the direction
    word, and a translation can put a shared one ("Italy's debt rose while its GDP fell",
    "il PIL dell'Italia è calato mentre il debito è cresciuto") before the other verb."""
    return _flips(subject_directions(text), [subject_directions(o) for o in others if o]) != {1, -1}


# --- Which place, and which place each figure is said of ----------------------------------


def places_agree(text: str, *others: str) -> bool:
    """False when `text` names a country that none of `others` names while they name one it
    does not: "82% of German families rent" against "82% of Italian families", or "the
    defence budget of Cuba is 1/600th of the United States'" against Venezuela's. The same for
    regions (a state of the United States, a region of Italy), apart: a repeat may name the
    country where the claim named its region. A text naming no place ("in our country"), or
    only some of the claim's places (shortened), agrees."""
    for named in (countries, regions):
        mine = named(text)
        theirs = set().union(*(named(other) for other in others if other))
        if mine - theirs and theirs - mine:
            return False
    return True


# Where one place's figures end and the next place's begin: "In Italia i distributori sono
# 22 mila, in Germania 14 mila", "Italy has 22,000 while Germany has 14,000".
PLACE_BREAK = re.compile(
    r"[,;:.!?]+(?=\s|$)|(?<!\w)(?:while|whereas|but|against|compared|mentre|contro|rispetto|"
    r"invece|ma)(?!\w)",
    re.IGNORECASE,
)


@read_once
def place_figures(text: str) -> dict[float, frozenset[str]]:
    """Which place each figure of `text` is said of: the one place named in its part of the
    sentence (PLACE_BREAK), or in the part just before when that one gives no figure ("In
    Italia, per ottenere una sentenza ci vogliono 2.656 giorni"). A part naming two places
    says of neither. Places and figures are read once on the whole text, then shared out."""
    mentions, found_at = place_mentions(text), _figures_at(text)
    said: dict[float, set[str]] = defaultdict(set)
    before = None
    for start, end in _parts(text):
        named = {key for at, key in mentions if start <= at < end}
        found = [value for at, _, value in found_at if start <= at < end]
        if len(named) > 1:
            before = None
            continue
        place = next(iter(named), before)
        if not found:
            before = place if named else before
            continue
        for figure in found if place else ():
            said[figure].add(place)
        before = None
    return {figure: frozenset(named) for figure, named in said.items()}


def _parts(text: str) -> list[tuple[int, int]]:
    """(start, end) of each part of `text` between PLACE_BREAKs."""
    parts, start = [], 0
    for match in PLACE_BREAK.finditer(text):
        parts.append((start, match.start()))
        start = match.end()
    return [*parts, (start, len(text))]


def place_figures_agree(text: str, *others: str) -> bool:
    """False when a figure of `text` is said of one place and the same figure in `others` of
    another only: roles swapped ("22 mila in Germania, 14 mila in Italia" against the
    reverse) keep every figure and every place."""
    theirs: dict[float, set[str]] = defaultdict(set)
    for other in others:
        for figure, named in place_figures(other or "").items():
            theirs[figure] |= named
    return all(
        not theirs.get(figure) or named & theirs[figure]
        for figure, named in place_figures(text).items()
    )


# --- Who --------------------------------------------------------------------------------


def names_agree(text: str, *others: str) -> bool:
    """False when `text` names someone (claims.names) none of whose words `others` use, while
    they name someone none of whose words `text` uses: "the Commission led by Ursula von der
    Leyen costs 510 million" against Jean-Claude Juncker's, "Mike Pence says" against "Donald
    Trump says", Republicans against Democrats. A name added ("Secondo Meloni la Commissione
    Juncker costa...") or dropped (shortened), or written in lower case on the other side
    ("the Hindu students"), agrees. Only for texts in one language: a translation renders
    names of institutions and places in its own words."""
    others = [other for other in others if other]
    theirs_words = set().union(*(word_keys(other) for other in others)) if others else set()
    if not any(not keys & theirs_words for keys in name_groups(text)):
        return True
    my_words = word_keys(text)
    return all(keys & my_words for other in others for keys in name_groups(other))


# --- What two texts share -----------------------------------------------------------------


def details_shared(text: str, *others: str) -> bool:
    """True when `text` gives a figure or a year that one of `others` gives too: evidence for
    the same claim, where the checks above are evidence against. A shortened or translated
    repeat keeps the figure ("Wisconsin added 23,608 jobs") when it loses the words around it."""
    mine, my_years = figures(text), years(text)
    return any(mine & figures(other) or my_years & years(other) for other in others if other)


def is_repeat(match, text: str | None = None, language: str | None = None) -> bool:
    """A Match or FactCheckMatch confident enough to be called the same claim. Given the
    matched `text`, a match that gives other figures, years or places, the opposite
    direction, comparison, movement (into, out of) or side of a pair of OPPOSITES (above or
    below, surplus or deficit, profit or loss), the same figure or subject going the other way
    ("Europe doubles, Africa falls" against the reverse), the same figure said of another
    place, or (given the text's `language`, when it is the check's) another person or party,
    is not one, however close in meaning (the checks above). Given the text, a match less
    close in meaning (from REPEAT_MIN_COSINE_WITH_DETAILS) is one when it shares a figure or
    a year with the claim; given its language too, a text in another language than the
    check's needs only REPEAT_MIN_COSINE_ACROSS_LANGUAGES."""
    cosine, wording = match.vector or 0, match.lexical or 0
    if text is None:
        return cosine >= REPEAT_MIN_COSINE or wording >= REPEAT_MIN_WORDING
    mine, theirs = _base_language(language), _base_language(_checked_language(match))
    same = bool(mine) and mine == theirs
    across = bool(mine and theirs) and not same
    min_cosine = REPEAT_MIN_COSINE_ACROSS_LANGUAGES if across else REPEAT_MIN_COSINE
    checked = _checked_texts(match)
    if not (cosine >= min_cosine or wording >= REPEAT_MIN_WORDING) and not (
        cosine >= REPEAT_MIN_COSINE_WITH_DETAILS and details_shared(text, *checked)
    ):
        return False
    return (
        figures_agree(text, *checked)
        and years_agree(text, *checked)
        and places_agree(text, *checked)
        and place_figures_agree(text, *checked)
        and directions_agree(text, *checked)
        and comparisons_agree(text, *checked)
        and movements_agree(text, *checked)
        and opposites_agree(text, *checked)
        and figure_directions_agree(text, *checked)
        and subject_directions_agree(text, *checked)
        and (not same or names_agree(text, *checked))
    )


def _checked_texts(match) -> tuple[str, ...]:
    """The texts a match's check was written as."""
    if getattr(match, "claim", None) is not None:
        return (match.claim.claim_reviewed, match.claim.quote)
    return (match.fact_check.claim_reviewed,)


def _checked_language(match) -> str:
    """The language the match's check was written in, "" when unknown."""
    checked = match.claim if getattr(match, "claim", None) is not None else match.fact_check
    return getattr(checked, "language", "") or ""


def _base_language(language: str | None) -> str:
    """The language without its region ("it" of "it-IT"), in lower case; "" when unknown or
    undetermined (the detector could not tell)."""
    base = (language or "").split("-")[0].lower()
    return "" if base == UNDETERMINED else base
