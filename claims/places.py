"""The countries a text names, in Italian or English, by name or by adjective: "Germany",
"Germania", "German", "tedesche" are one country. claims.same_claim compares them: the same
figures said of another country are another claim ("82% of Italian families own their home"
against "82% of German families").

Countries only, with the European Union as one: a city or a region inside a country ("Milan",
"Lombardy", "Wisconsin") is left out, since a repeat may name the country where the claim
named its city, and a rule comparing the two would need to know what lies inside what.
"""

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
}  # fmt: skip
# Short names that are also common words or syllables count only when written as names: "US"
# in capitals ("us" is a pronoun), "Ue" and "UK" capitalised.
CAPITALS_ONLY = {"us"}
CAPITALISED_ONLY = {"uk", "ue", "eu"}
COUNTRY = re.compile(
    "|".join(f"(?P<{key}>(?<![\\w.])(?:{stems})(?!\\w))" for key, stems in COUNTRY_STEMS.items()),
    re.IGNORECASE,
)


def countries(text: str) -> set[str]:
    """The countries `text` names, each as a key of COUNTRY_STEMS."""
    found = set()
    for match in COUNTRY.finditer(text):
        name = match.group()
        if name.lower() in CAPITALS_ONLY and not name.isupper():
            continue
        if name.lower() in CAPITALISED_ONLY and not name[0].isupper():
            continue
        found.add(match.lastgroup)
    return found
