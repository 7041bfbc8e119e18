"""The places a text names, in Italian or English, by name or by adjective: "Germany",
"Germania", "German", "tedesche" are one country. claims.same_claim compares them: the same
figures said of another country are another claim ("82% of Italian families own their home"
against "82% of German families").

Countries (with the European Union as one) and, apart, the regions a claim is often about:
the states of the United States and the regions of Italy ("Wisconsin", "Lombardia"). The
two are never compared with each other: a repeat may name the country where the claim named
its region ("Italy" for "Lombardy"), and a rule comparing them would need to know what lies
inside what. Cities are left out for the same reason, and states whose names are also a
country's, a city's or a newspaper's (Georgia, Washington, New York), and "Marche" (also a
word: "brands").
"""

import functools
import re

# Each country's names and adjectives as word beginnings; Italian adjectives inflect
# (italiano, italiana, italiani, italiane), so each stem takes any ending.
COUNTRY_STEMS = {
    "italy": r"ital(?:y|ia|ian|ians|ian[oaie]|iano|iana)",
    "germany": r"german(?:y|s)?|germania|tedesc(?:o|a|hi|he)",
    "france": r"france|french|francia|frances[ei]",
    "spain": r"spain|spanish|spagn(?:a|ol[oaie])",
    "uk": r"britain|british|uk|u\.k\.|england|english|regno unito|gran bretagna|"
    r"britannic[oaie]|inghilterra|ingles[ei]",
    "us": r"america|americans?|american[oaie]|us|u\.s\.|usa|u\.s\.a\.|united states|"
    r"stati uniti|statunitens[ei]",
    "europe": r"europe|european|europeans|europa|europe[oaie]|ue|eu|european union|"
    r"unione europea|brussels|bruxelles",
    "russia": r"russia|russian|russians|russ[oaie]",
    "china": r"china|chinese|cina|cines[ei]",
    "iran": r"iran|iranian|iranians|iranian[oaie]",
    "india": r"india|indian|indians|indian[oie]",  # not "indiana", a state
    "japan": r"japan|japanese|giappone|giappones[ei]",
    "africa": r"africa|african|africans|african[oaie]",
    "greece": r"greece|greek|grecia|grec[oaih]|greche",
    "portugal": r"portugal|portuguese|portogallo|portoghes[ei]",
    "netherlands": r"netherlands|dutch|holland|olanda|paesi bassi|olandes[ei]",
    "switzerland": r"switzerland|swiss|svizzera|svizzer[oaie]",
    "austria": r"austria|austrian|austriac[oaih]|austriache",
    "poland": r"poland|polish|polonia|polacc[oaih]|polacche",
    "ukraine": r"ukraine|ukrainian|ucraina|ucrain[oaie]",
    "turkey": r"turkey|turkish|turchia|turc[oaih]|turche",
    "canada": r"canada|canadian|canades[ei]",
    "mexico": r"mexico|mexican|messico|messican[oaie]",
    "brazil": r"brazil|brazilian|brasile|brasilian[oaie]",
    "israel": r"israel|israeli|israelian[oaie]",
    "egypt": r"egypt|egyptian|egitto|egizian[oaie]",
    "libya": r"libya|libyan|libia|libic[oaih]|libiche",
    "sweden": r"sweden|swedish|svezia|svedes[ei]",
    "norway": r"norway|norwegian|norvegia|norveges[ei]",
    "vietnam": r"vietnam|vietnamese|vietnamit[ae]|vietnamiti",
    "kazakhstan": r"kazakhstan|kazakh|kazakhs|kazakistan|kazak[oaih]|kazakhe",
    "mongolia": r"mongolia|mongolian|mongol[oaie]",
    "belarus": r"belarus|belarusian|bielorussia|bieloruss[oaie]",
    "armenia": r"armenia|armenian|armen[oaie]",
    "azerbaijan": r"azerbaijan|azerbaijani|azerbaigian|azer[oaie]",
    "uzbekistan": r"uzbekistan|uzbek|uzbec[oaih]|uzbeche",
    "afghanistan": r"afghanistan|afghan|afghans|afghan[oaie]",
    "pakistan": r"pakistan|pakistani|pakistan[oaie]",
    "iraq": r"iraq|iraqi|irachen[oaie]",
    "syria": r"syria|syrian|siria|sirian[oaie]",
    "korea": r"korea|korean|corea|corean[oaie]",
    "argentina": r"argentina|argentine|argentinian|argentin[oie]",
    "nigeria": r"nigeria|nigerian|nigerian[oaie]",
    "hungary": r"hungary|hungarian|ungheria|ungheres[ei]",
    "romania": r"romania|romanian|rumen[oaie]|romen[oaie]",
    "belgium": r"belgium|belgian|belgio|belg[ai]|belghe",
    "ireland": r"ireland|irish|irlanda|irlandes[ei]",
    "denmark": r"denmark|danish|danes?|danimarca|danes[ei]",
    "finland": r"finland|finnish|finlandia|finlandes[ei]",
    "croatia": r"croatia|croatian|croazia|croat[oaie]",
    "serbia": r"serbia|serbian|serb[oaie]",
    "australia": r"australia|australian|australians|australian[oaie]",
    "new_zealand": r"new zealand|nuova zelanda|neozelandes[ei]",
    "cuba": r"cuba|cuban|cubans|cuban[oaie]",
    "venezuela": r"venezuela|venezuelan|venezuelan[oaie]",
    "colombia": r"colombia|colombian|colombian[oaie]",
    "chile": r"chile|chilean|cile|cilen[oaie]",
    "peru": r"peru|peruvian|perù|peruvian[oaie]",
    "saudi_arabia": r"saudi arabia|saudi|saudis|arabia saudita|saudit[aie]",
    "qatar": r"qatar|qatari|qatariot[aie]",
    "lebanon": r"lebanon|lebanese|libano|libanes[ei]",
    "palestine": r"palestine|palestinian|palestinians|palestina|palestines[ei]",
    "jordan": r"jordan|jordanian|giordania|giordan[oaie]",
    "yemen": r"yemen|yemeni|yemenit[aie]",
    "morocco": r"morocco|moroccan|marocco|marocchin[oaie]",
    "algeria": r"algeria|algerian|algerin[oaie]",
    "tunisia": r"tunisia|tunisian|tunisin[oaie]",
    "south_africa": r"south africa|south african|sudafrica|sudafrican[oaie]",
    "ethiopia": r"ethiopia|ethiopian|etiopia|etiop[ie]",
    "kenya": r"kenya|kenyan|kenian[oaie]",
    "sudan": r"sudan|sudanese",
    "somalia": r"somalia|somali|somal[oaie]",
    "taiwan": r"taiwan|taiwanese",
    "indonesia": r"indonesia|indonesian|indonesian[oaie]",
    "philippines": r"philippines|filipino|filippine|filippin[oaie]",
    "thailand": r"thailand|thai|thailandia|tailandia|tailandes[ei]|thailandes[ei]",
    "bangladesh": r"bangladesh|bangladeshi|bengales[ei]",
    "czechia": r"czechia|czech republic|czech|repubblica ceca|cec[oaih]|ceche",
    "slovakia": r"slovakia|slovak|slovacchia|slovacc[oaih]|slovacche",
    "slovenia": r"slovenia|slovenian|sloven[oaie]",
    "bulgaria": r"bulgaria|bulgarian|bulgar[oaie]",
    "albania": r"albania|albanian|albanes[ei]",
    "lithuania": r"lithuania|lithuanian|lituania|lituan[oaie]",
    "latvia": r"latvia|latvian|lettonia|letton[ei]",
    "estonia": r"estonia|estonian|eston[ei]",
    "luxembourg": r"luxembourg|lussemburgo|lussemburghes[ei]",
    "malta": r"malta|maltese",
    "cyprus": r"cyprus|cypriot|cipro|cipriot[aie]",
}  # fmt: skip
# Short names that are also common words or syllables count only when written as names: "US"
# in capitals ("us" is a pronoun), "Ue" and "UK" capitalised.
CAPITALS_ONLY = {"us"}
CAPITALISED_ONLY = {"uk", "ue", "eu"}
# One lookbehind before the alternatives, not one in each: five times faster.
COUNTRY = re.compile(
    "(?<![\\w.])(?:"
    + "|".join(f"(?P<{key}>{stems})" for key, stems in COUNTRY_STEMS.items())
    + ")(?!\\w)",
    re.IGNORECASE,
)


# The states of the United States, as written in either language (LIAR's statements drop the
# apostrophe: "Floridas").
US_STATES = """
    alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii
    idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan
    minnesota mississippi missouri montana nebraska nevada new_hampshire new_jersey new_mexico
    north_carolina north_dakota ohio oklahoma oregon pennsylvania rhode_island south_carolina
    south_dakota tennessee texas utah vermont virginia west_virginia wisconsin wyoming
""".split()  # noqa: SIM905 (a list literal of 47 names would not be read)
ITALIAN_REGIONS = {
    "lombardia": r"lombardia|lombardy|lombard[oaie]", "piemonte": r"piemonte|piedmont",
    "veneto": r"veneto", "liguria": r"liguria", "emilia-romagna": r"emilia[- ]romagna",
    "toscana": r"toscana|tuscany", "umbria": r"umbria", "lazio": r"lazio",
    "abruzzo": r"abruzzo", "molise": r"molise", "campania": r"campania",
    "puglia": r"puglia|apulia", "basilicata": r"basilicata", "calabria": r"calabria",
    "sicilia": r"sicilia|sicily|sicilian[oaie]?", "sardegna": r"sardegna|sardinia",
    "trentino": r"trentino|alto adige|south tyrol", "friuli": r"friuli",
    "valle d'aosta": r"valle d['’]aosta|aosta valley",
}  # fmt: skip
# What the people of a state are called, where it is not the state's name ("Insured Texans
# pay about $2,000" is said of Texas).
STATE_DEMONYMS = {
    "texas": "texans?", "florida": "floridians?", "california": "californians?",
    "ohio": "ohioans?", "michigan": "michiganders?", "wisconsin": "wisconsinites?",
    "pennsylvania": "pennsylvanians?", "virginia": "virginians?", "arizona": "arizonans?",
    "colorado": "coloradans?", "oregon": "oregonians?", "minnesota": "minnesotans?",
    "iowa": "iowans?", "kansas": "kansans?", "kentucky": "kentuckians?",
    "tennessee": "tennesseans?", "nevada": "nevadans?", "alaska": "alaskans?",
    "alabama": "alabamians?", "new jersey": "new jerseyans?",
}  # fmt: skip
REGION_STEMS = {
    **{
        state: "|".join(filter(None, [state + r"(?:['’]?s)?", STATE_DEMONYMS.get(state)]))
        for state in (name.replace("_", " ") for name in US_STATES)
    },
    **ITALIAN_REGIONS,
}
REGION = re.compile(
    "(?<![\\w.])(?:"
    + "|".join(f"(?P<r{number}>{stems})" for number, stems in enumerate(REGION_STEMS.values()))
    + ")(?!\\w)",
    re.IGNORECASE,
)
REGION_KEYS = list(REGION_STEMS)


@functools.lru_cache(maxsize=8192)
def place_mentions(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, key) of each country and region `text` names, in order."""
    found = [
        (match.start(), match.lastgroup)
        for match in COUNTRY.finditer(text)
        if _written_as_a_name(match.group())
    ]
    found += [(m.start(), REGION_KEYS[int(m.lastgroup[1:])]) for m in REGION.finditer(text)]
    return tuple(sorted(found))


def _written_as_a_name(name: str) -> bool:
    if name.lower() in CAPITALS_ONLY and not name.isupper():
        return False
    return not (name.lower() in CAPITALISED_ONLY and not name[0].isupper())


def countries(text: str) -> frozenset[str]:
    """The countries `text` names, each as a key of COUNTRY_STEMS."""
    return frozenset(key for _, key in place_mentions(text) if key in COUNTRY_STEMS)


def regions(text: str) -> frozenset[str]:
    """The regions `text` names (a state of the United States, a region of Italy), each as a
    key of REGION_STEMS."""
    return frozenset(key for _, key in place_mentions(text) if key in REGION_STEMS)


def places(text: str) -> frozenset[str]:
    """The countries and the regions `text` names."""
    return frozenset(key for _, key in place_mentions(text))


def without_places(text: str) -> str:
    """`text` with every place it names blanked out (as many spaces), for claims.names."""
    return REGION.sub(_blank, COUNTRY.sub(_blank, text))


def _blank(match) -> str:
    return " " * len(match.group())
