"""Check-worthy claim detection: which sentences of an article carry checkable content.

The detector is a small set of rules, each a named feature with a weight, so an editor sees
*why* a sentence was proposed ("a figure", "an attribution: according to"). It runs offline,
needs no model files, and knows Italian and English; other languages fall back to the
language-neutral features (figures, dates, quotes, names).

A sentence is proposed when its score reaches THRESHOLD. Scores are in [0, 1].
"""

import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

THRESHOLD = 0.5
SQUASH = math.log(2) / THRESHOLD  # evidence of exactly THRESHOLD scores THRESHOLD
MIN_WORDS = 5

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "st", "jr", "sr",
    "inc", "ltd", "co", "corp", "vs", "etc", "no", "nos", "fig", "approx", "ca", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "e.g",
    "i.e", "sig", "sigg", "dott", "ing", "avv", "on", "pag", "art", "n",
}  # fmt: skip

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|"
    "dicembre"
)
NUMBER_WORDS = (
    "million|millions|billion|billions|trillion|thousand|thousands|hundreds|dozens|half|"
    "twice|double|doubled|tripled|third|quarter|two|three|four|five|six|seven|eight|nine|"
    "ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    "milione|milioni|miliardo|miliardi|mille|mila|migliaia|centinaia|decine|metà|doppio|"
    "raddoppiato|triplicato|terzo|quarto|due|tre|quattro|cinque|sei|sette|otto|nove|"
    "dieci|venti|trenta|quaranta|cinquanta|cento"
)


@dataclass(frozen=True)
class Feature:
    code: str
    label: str
    weight: float
    pattern: re.Pattern


def _words(*alternatives: str) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


FEATURES = [
    Feature(
        "percentage",
        _("a percentage"),
        0.45,
        re.compile(r"\d\s?%|(?<!\w)(?:per ?cent|percent|percento|per cento)(?!\w)", re.I),
    ),
    Feature(
        "money",
        _("an amount of money"),
        0.45,
        re.compile(
            r"[$€£¥]\s?\d|\d\s?[$€£]|(?<!\w)(?:dollars?|euros?|pounds|yuan|rubles?|roubles?|"
            r"dollari|rubli|sterline|usd|eur|gbp)(?!\w)",
            re.I,
        ),
    ),
    Feature(
        "figure",
        _("a figure"),
        0.4,
        re.compile(r"(?<![\w/])(?!(?:1[89]|20)\d\d(?![\d.,]\d))\d[\d.,]*(?!\w*/)"),
    ),
    Feature("quantity", _("a quantity in words"), 0.25, _words(NUMBER_WORDS)),
    Feature(
        "date",
        _("a date"),
        0.2,
        re.compile(
            r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|(?<!\w)(?:" + MONTHS + r")(?!\w)|"
            r"(?<!\w)(?:last|next|this) (?:year|month|week)(?!\w)|"
            r"(?<!\w)(?:lo )?scors[oa] (?:anno|mese|settimana)(?!\w)",
            re.I,
        ),
    ),
    Feature(
        "comparison",
        _("a comparison or trend"),
        0.3,
        _words(
            r"more than",
            r"less than",
            r"fewer than",
            r"at least",
            r"almost",
            r"nearly",
            r"higher|highest|lower|lowest|largest|biggest|smallest|record|most|least",
            r"rose|risen|rise|fell|fallen|increased?|decreased?|grew|grown|dropped|doubled",
            r"compared (?:to|with)",
            r"più di|meno di|oltre|almeno|quasi|circa",
            r"aumentat[oaie]|aumentando|aumento|diminuit[oaie]|calat[oaie]|cresciut[oaie]",
            r"crescita|calo|record|massimo|minimo|maggiore|minore|superiore|inferiore",
            r"rispetto a",
            r"\w+er than|than|as \w+ as",
        ),
    ),
    Feature(
        "absolute",
        _("an absolute or a first"),
        0.2,
        _words(
            r"only|first|never|always|every|none|no one|unprecedented|all",
            r"solo|soltanto|unic[oa]|prim[oa]|mai|sempre|ogni|nessun[oa]?|tutti|senza precedenti",
        ),
    ),
    Feature(
        "attribution",
        _("an attribution"),
        0.35,
        _words(
            r"according to",
            r"said|says|told|stated|claimed|claims|announced|reported|reports|confirmed|"
            r"denied|wrote|tweeted|testified|estimated|estimates",
            r"secondo",
            r"come (?:ha )?riferi(?:sce|to)|ha riferito|riferisce|riporta|ha (?:detto|dichiarato|"
            r"affermato|annunciato|confermato|sostenuto|scritto|spiegato)",
            r"dichiara|afferma|sostiene|annuncia|denuncia",
        ),
    ),
    Feature(
        "official_act",
        _("an official act or event"),
        0.3,
        _words(
            r"signed|banned|blocked|approved|voted|passed|vetoed|launched|arrested|killed|died|"
            r"elected|appointed|allocated|spent|cut|raised|imposed|lifted|ordered|deployed|"
            r"refused|recognised|recognized|built|closed|opened|won|lost",
            r"firmat[oa]|firmare|vietat[oa]|vietando|bloccat[oa]|approvat[oa]|votat[oa]|"
            r"lanciat[oa]|arrestat[oa]|uccis[oi]|mort[ie]|elett[oa]|nominat[oa]|destinat[oa]|"
            r"stanziat[oa]|speso|tagliat[oa]|impost[oa]|schierat[oa]|rifiutat[oa]|"
            r"rifiutato|riconoscere|stretto un accordo|accordo|intesa|visita|volato",
        ),
    ),
    Feature(
        "named_role",
        _("a named person or organisation in a role"),
        0.25,
        _words(
            r"president|minister|prime minister|government|ministry|agency|official|spokesman|"
            r"spokeswoman|spokesperson|ceo|director|senator|governor|mayor|police|army|court|"
            r"parliament|congress|senate|commission|bank|institute|office|department|census",
            r"presidente|ministro|governo|ministero|agenzia|funzionari[oe]?|portavoce|"
            r"direttore|direttrice|sindaco|polizia|esercito|tribunale|parlamento|senato|"
            r"commissione|banca|istituto|conduttore|generale|capo",
        ),
    ),
    Feature("quote", _("a direct quote"), 0.3, re.compile(r"[«“][^»”]{2,}[»”]|\"[^\"]{2,}\"")),
]

NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]*[a-z][\w’'-]*")
OPINION = _words(
    r"i think|i believe|we believe|in my (?:view|opinion)|should|must|ought to|perhaps|maybe|"
    r"arguably|it seems|we need|let us|let's|wonderful|terrible|shameful|beautiful|hope",
    r"secondo me|a mio (?:avviso|parere)|penso|credo|dovrebbe|dovremmo|bisogna|forse|"
    r"speriamo|vergognoso|meraviglios[oa]|terribile",
)
# A statement of fact: a finite verb that asserts (is, has, was, rose...), as opposed to a
# fragment, a heading or a call to action. Short factual sentences ("Gov. X backed the
# federal shutdown.") carry little else, so this is what lets them score.
ASSERTION = _words(
    r"is|are|was|were|has|have|had|will|would|did|does|do|can|could|wants?|wanted|"
    r"\w{3,}ed|\w{3,}s(?<!ss)|gets?|got|goes|went|made|makes|took|takes|gave|gives|"
    r"pays?|paid|costs?|spent|spends|led|leads|won|lost|saw|keeps?|kept|holds?|held|"
    r"means?|meant|became|becomes|says",
    r"è|sono|era|erano|sarà|saranno|sarebbe|ha|hanno|aveva|avevano|avrà|avrebbe|c'è|ci sono|"
    r"\w{3,}(?:ato|ata|ati|ate|uto|uta|uti|ito|ita|iti)|\w{3,}(?:ano|ono)|"
    r"\w{3,}(?:ava|eva|iva|avano|evano|ivano)|\w{3,}(?:erà|irà|arà|eranno|iranno)|"
    r"costa|serve|servono|vale|valgono|paga|pagano|prevede|stabilisce|introduce|"
    r"riguarda|supera|superano|rappresenta|rappresentano|conta|contano|fa|fanno",
)
# The subjects public claims are about, in both languages: a sentence about them is worth a
# look even without a figure ("Marijuana is less toxic than alcohol.").
TOPIC = _words(
    r"tax(?:es)?|jobs?|unemployment|employment|wages?|salary|salaries|budget|deficit|debt|"
    r"economy|economic|gdp|inflation|prices?|poverty|income|pensions?|social security|"
    r"medicare|medicaid|health care|healthcare|insurance|hospitals?|abortion|guns?|crime|"
    r"murders?|police|prisons?|immigrants?|immigration|migrants?|refugees?|border|wall|"
    r"vaccines?|virus|covid(?:-19)?|climate|emissions|energy|oil|gas|coal|schools?|"
    r"education|teachers|students|voters?|votes?|elections?|war|military|troops|weapons|"
    r"law|laws|bill|spending|federal|state|county|city|country|nation|women|children|"
    r"workers|families|citizens|population",
    r"tass[ae]|impost[ae]|lavoro|lavoratori|occupazione|disoccupazione|salari|stipendi|"
    r"bilancio|deficit|debito|economia|pil|inflazione|prezzi|povertà|reddito|pensioni|"
    r"sanità|ospedali|aborto|armi|criminalità|reati|omicidi|carceri|immigrati|migranti|"
    r"sbarchi|rifugiati|profughi|confini|vaccin[oi]|virus|covid(?:-19)?|clima|emissioni|"
    r"energia|gas|petrolio|bollette|scuol[ae]|istruzione|insegnanti|studenti|elettori|voti|"
    r"elezioni|guerra|militari|legge|leggi|decreto|manovra|spesa|iva|irpef|paese|paesi|"
    r"italia|europa|ue|regioni|comuni|famiglie|cittadini|popolazione|donne|bambini|imprese",
)
# The newsroom talking about its own work: reader tips, method, surveys, credits, verdicts.
# Real debunks are full of these and none is a claim to check.
NEWSROOM = _words(
    r"la redazione|segnalazion[ei]|via whatsapp|abbiamo (?:verificato|contattato|chiesto|"
    r"cercato|controllato|analizzato|ricevuto)|vediamo|andiamo a|partiamo|passiamo a(?:desso)?|"
    r"verificare|nostr[oa] verifica|oggetto (?:della nostra|di) (?:verifica|analisi)|"
    r"in conclusione|in sintesi|il verdetto|ricapitolando|precisiamo|scopriamo|proviamo|"
    r"(?:è|si tratta di) (?:una )?notizia (?:falsa|vecchia|imprecisa)|contenuto fuorviante|"
    r"clicca qui|aiutaci|sondaggio|photo credits?|licenza cc|ci ha confermato|"
    r"per chi abbia voglia|come si può vedere|sfruttiamo|utilizziamo|consideriamo|"
    r"prendiamo in esame|ricapitoliamo|riportiamo|copiamo|citiamo|perdoneremo|"
    r"[\"“«](?:vero|falso|nì|c'eri quasi|pinocchio andante|panzana pazzesca)[\"”»]|"
    r"we (?:checked|contacted|asked|reached out|rate|rated|found no)|our (?:readers|fact-check)|"
    r"this (?:article|fact-check)|fact-check(?:ed|ing)?|in conclusion|in short|"
    r"rated (?:false|true|mostly|half)|pants on fire|truth-o-meter",
)
# The verdict said in a sentence of its own ("... è falsa.", "... is false."): a conclusion.
VERDICT = re.compile(
    r"(?:\b(?:è|sono|is|are) (?:del tutto |completamente |totally |completely )?"
    r"(?:fals[aoie]|fuorviant[ei]|infondat[aoie]|false|misleading|baseless))\W*$",
    re.I,
)
# How the post under check looks (its caption, what is written on the picture): a
# description, not a claim.
POST_FORM = _words(
    r"è accompagnat[oa]|compare (?:anche )?la scritta|si legge (?:la scritta|il commento)|"
    r"recante|didascalia|è intitolat[oa]|is captioned|the caption|the post (?:reads|says)|"
    r"è stat[oa] pubblicat[oa] su (?:facebook|twitter|instagram|tiktok|telegram|youtube)|"
    r"su (?:facebook|twitter|instagram|tiktok|telegram|youtube) (?:è|sono) stat[oaie] "
    r"pubblicat[oaie]",
)
# A conditional about what did not happen, or an admission of not knowing.
HYPOTHETICAL = re.compile(
    r"^(?:se|if)\b.*\b(?:avesse|avessero|fosse|fossero|had been|were to)\b|"
    r"\bnon è (?:ancora )?chiaro\b|\bit is not (?:yet )?clear\b|\bpotrebbe(?:ro)?\b|"
    r"\bsembrerebbe\b|\bsi può discutere\b",
    re.I,
)
WRAPPING_QUOTES = re.compile(r"^\s*[«“\"](.*?)[»”\"]\s*[.!?…]?\s*$", re.S)


@dataclass
class Candidate:
    start: int
    end: int
    text: str
    score: float
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": self.score,
            "reasons": self.reasons,
        }


# Chinese and Japanese end a sentence with a full-width mark and no space after it.
SENTENCE_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s)|[。！？]+[」』”\"')）]*|\n\s*\n|\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence or heading, trimmed of surrounding space."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        before = text[start : match.start()].rsplit(None, 1)
        last_word = before[-1].lower().strip('(«“"') if before else ""
        next_char = text[end : end + 3].lstrip()[:1]
        is_break = "\n" in match.group()
        if not is_break and (
            last_word in ABBREVIATIONS
            or re.fullmatch(r"(?:[a-z]\.)+[a-z]?", last_word + ".")
            or (next_char and next_char.islower())
        ):
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return [trimmed for span in spans if (trimmed := _trim(text, *span))]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def score_sentence(sentence: str, *, heading: bool = False) -> tuple[float, list[str]]:
    """The check-worthiness score of one sentence and the reasons, strongest first.

    `heading` says the sentence stands on a line of its own without a closing stop, as an
    article's headings do; a statement given alone without a full stop is not one.
    """
    # A statement quoted whole («...», “...”) is scored as its words: quote marks around a
    # politician's sentence say who wrote it, not whether it is checkable.
    unwrapped = WRAPPING_QUOTES.match(sentence)
    text = unwrapped.group(1) if unwrapped else sentence
    words = text.split()
    if len(words) < MIN_WORDS:
        return 0.0, []
    found = [feature for feature in FEATURES if feature.pattern.search(text)]
    raw = sum(feature.weight for feature in found)
    reasons = [str(feature.label) for feature in sorted(found, key=lambda f: -f.weight)]
    names = NAME.findall(text)
    if names:
        raw += min(0.3, 0.1 * len(names))
        reasons.append(str(_("names: %(names)s")) % {"names": ", ".join(dict.fromkeys(names))})
    if ASSERTION.search(text):
        raw += 0.25
        reasons.append(str(_("a statement of fact")))
    if TOPIC.search(text):
        raw += 0.15
        reasons.append(str(_("a public-interest subject")))
    # Evidence is squashed into [0, 1) without a ceiling, so more evidence still ranks higher
    # (an editor sees the strongest claims first), and 0.5 of evidence stays a score of 0.5.
    # What speaks against a sentence is taken from that, so a sentence full of figures about
    # the newsroom's own method still drops out.
    raw = 1 - math.exp(-SQUASH * raw)
    if text.rstrip().endswith("?"):
        # A question asks; whatever it holds, the checkable claim is in the answer.
        raw -= 1.0
        reasons.append(str(_("a question (less likely checkable)")))
    if OPINION.search(text):
        raw -= 0.3
        reasons.append(str(_("opinion or recommendation wording")))
    if NEWSROOM.search(text) or VERDICT.search(text):
        # Decisive: no figure or name makes the newsroom's own method a claim to check.
        raw -= 1.0
        reasons.append(str(_("the newsroom about its own work (method, tips, verdict)")))
    if POST_FORM.search(text):
        raw -= 0.5
        reasons.append(str(_("describes how a post looks")))
    if HYPOTHETICAL.search(text):
        raw -= 0.4
        reasons.append(str(_("a hypothesis or an admission of not knowing")))
    if heading:
        raw -= 0.5
        reasons.append(str(_("a heading, not a sentence")))
    return round(max(0.0, min(1.0, raw)), 3), reasons


def detect_claims(text: str, *, threshold: float = THRESHOLD) -> list[Candidate]:
    """Candidate claims in `text`, in reading order, each with its score and reasons."""
    candidates = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        score, reasons = score_sentence(sentence, heading=is_heading(text, start, end))
        if score >= threshold:
            candidates.append(Candidate(start, end, sentence, score, reasons))
    return candidates


def is_heading(text: str, start: int, end: int) -> bool:
    """A short line of its own, among other lines, with no closing stop: an article heading.
    A statement given alone, or a long line, is a sentence whatever its punctuation."""
    if re.search(r"[.!?…»”\"')]$", text[start:end]) or len(text[start:end].split()) > 12:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    alone = not text[line_start:start].strip() and not text[end:line_end].strip()
    return alone and bool(text[:line_start].strip() or text[line_end:].strip())


def ranked(candidates: list) -> list:
    """Candidates (or stored suggestions) strongest first, ties in reading order: the order
    an editor should read them in."""
    return sorted(candidates, key=lambda candidate: (-candidate.score, candidate.start))


def reason_in_language(reason: str) -> str:
    """A reason stored as written in English (monitoring keeps them so: the worker and the API
    run in whatever language) in the active language, for the page that shows it."""
    names = "names: "
    if reason.startswith(names):
        return gettext("names: %(names)s") % {"names": reason[len(names) :]}
    return gettext(reason) if reason else reason
