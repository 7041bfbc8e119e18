"""The demo desk: the Kazakhstan article of July 2022 and the claims checked in it.

Loaded by `python manage.py load_demo` (and so by `make run`). Every write goes through the
same services the admin and the API use, so the demo is also a walk through the workflow.
Verdicts are published only where the cited sources support them; the rest stay in research.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from sources.models import Reliability, SourceKind
from sources.services import outlet_get_or_create, source_get_or_create

from . import services
from .models import Article, ArticleRevision, ClaimStatus, DatePrecision, Stance, VerdictRating
from .services.candidates import candidates_refresh

ARTICLE_FILE = Path(__file__).parent / "fixtures" / "demo" / "kazakhstan-2022-07.it.txt"
ARTICLE_SLUG = "kazakistan-russia-cina-2022-07"
SUPERUSER = "admin"

WIKI_UNREST = "https://en.wikipedia.org/wiki/2022_Kazakh_unrest"
KREMLIN_SPIEF = "http://en.kremlin.ru/events/president/news/68669"

# Where the article appeared. Its byline is not known, so none is invented.
ARTICLE_URL = (
    "https://www.tag43.it/kazakistan-spese-difesa-guerra-ucraina-putin-tokayev-russia-turchia-usa/"
)
OUTLET_NAME = "Tag43"
OUTLET_DOMAIN = "tag43.it"


@dataclass
class DemoSource:
    url: str
    title: str
    kind: str
    stance: str
    excerpt: str = ""
    locator: str = ""
    # The desk's note in Italian, and in English where the check is translated too.
    note: str = ""
    note_en: str = ""


@dataclass
class DemoClaim:
    quote: str
    claim_reviewed: str
    # Who said it: the speaker where the article reports one, else the outlet, whose own
    # statement the claim is (never a placeholder such as "The article").
    claimant: str = OUTLET_NAME
    claimant_is_organization: bool = True
    attribution: str = ""
    status: str = ClaimStatus.NEW
    verdict: str = ""
    rationale: str = ""
    sources: list[DemoSource] = field(default_factory=list)
    dismiss_reason: str = ""


CLAIMS = [
    DemoClaim(
        quote="Il Kazakistan, sempre come riferisce il Wsj, ha destinato 918 milioni di dollari "
        "alla difesa, aumentando di quasi una volta e mezzo il budget dello scorso anno.",
        claim_reviewed="Kazakhstan allocated $918 million to defence, almost 1.5 times the "
        "previous year's budget.",
        claimant="Kazakh government official",
        claimant_is_organization=False,
        attribution="a Kazakh official, as reported by the Wall Street Journal",
        status=ClaimStatus.RESEARCHING,
        sources=[
            DemoSource(
                "https://www.sipri.org/databases/milex",
                "SIPRI Military Expenditure Database",
                SourceKind.DATASET,
                Stance.CONTEXT,
                locator="Kazakhstan, 2021-2022",
            )
        ],
    ),
    DemoClaim(
        quote="con in testa Margarita Simonyan, direttrice di Russia Today che moderava l’incontro",
        claim_reviewed="Margarita Simonyan, head of RT, moderated the St Petersburg forum session "
        "with Tokayev and Putin.",
        status=ClaimStatus.PUBLISHED,
        verdict="true",
        rationale="The Kremlin's transcript of the plenary session of the St Petersburg "
        "International Economic Forum (17 June 2022) names Margarita Simonyan, editor-in-chief "
        "of RT, as its moderator. Tokayev spoke on the same panel.",
        sources=[
            DemoSource(
                KREMLIN_SPIEF,
                "Plenary session of St Petersburg International Economic Forum",
                SourceKind.PRIMARY_DOCUMENT,
                Stance.SUPPORTS,
                excerpt="Moderator: Margarita Simonyan",
                locator="Opening of the transcript",
                note="La trascrizione ufficiale del Cremlino la indica come moderatrice.",
                note_en="The Kremlin's official transcript names her as the moderator.",
            )
        ],
    ),
    DemoClaim(
        quote="i morti furono più di 200",
        claim_reviewed="More than 200 people died in the January 2022 protests in Kazakhstan.",
        status=ClaimStatus.PUBLISHED,
        verdict="true",
        rationale="Kazakhstan's authorities put the death toll of the January 2022 unrest at "
        "238, which is more than 200.",
        sources=[
            DemoSource(
                WIKI_UNREST,
                "2022 Kazakh unrest",
                SourceKind.OTHER,
                Stance.SUPPORTS,
                excerpt="238 deaths",
                locator="Infobox: casualties",
                note="Il bilancio ufficiale delle autorità kazake, ripreso dalle agenzie.",
            )
        ],
    ),
    DemoClaim(
        quote="dove da mesi è presente una forza di peace keeping del Csto",
        claim_reviewed="A CSTO peacekeeping force had been stationed in Kazakhstan for months "
        "by July 2022.",
        status=ClaimStatus.PUBLISHED,
        verdict="false",
        rationale="The CSTO force arrived on 6 January 2022 and finished withdrawing on "
        "19 January 2022. By July it had been gone for six months.",
        sources=[
            DemoSource(
                WIKI_UNREST,
                "2022 Kazakh unrest",
                SourceKind.OTHER,
                Stance.REFUTES,
                excerpt="The withdrawal of CSTO troops was completed on 19 January.",
                locator="Section: CSTO deployment",
                note="Arrivo il 6 gennaio 2022, ritiro completato il 19 gennaio.",
                note_en="Arrived on 6 January 2022, withdrawal completed on 19 January.",
            ),
            DemoSource(
                "https://en.wikipedia.org/wiki/Collective_Security_Treaty_Organization",
                "Collective Security Treaty Organization",
                SourceKind.OTHER,
                Stance.CONTEXT,
                note="Che cos'è il Csto e chi ne fa parte.",
                note_en="What the CSTO is and who belongs to it.",
            ),
        ],
    ),
    DemoClaim(
        quote="A fine aprile, il ministro della Difesa nazionale cinese Wei Fenghe durante una "
        "visita in Kazakistan ha stretto un accordo per rafforzare la cooperazione militare.",
        claim_reviewed="China's defence minister Wei Fenghe visited Kazakhstan in late April "
        "2022 and agreed closer military cooperation.",
        status=ClaimStatus.RESEARCHING,
        sources=[
            DemoSource(
                "https://en.wikipedia.org/wiki/Wei_Fenghe",
                "Wei Fenghe",
                SourceKind.OTHER,
                Stance.CONTEXT,
            )
        ],
    ),
    DemoClaim(
        quote="Ai primi di maggio infatti Tokayev è volato in Turchia per firmare una intesa per "
        "la produzione di droni militari.",
        claim_reviewed="In early May 2022 Tokayev signed a deal in Turkey to produce military "
        "drones.",
        status=ClaimStatus.RESEARCHING,
    ),
    DemoClaim(
        quote="il governo di Nur-Sultan (fino al 2019 Astana)",
        claim_reviewed="Kazakhstan's capital was called Astana until 2019, then Nur-Sultan.",
        status=ClaimStatus.PUBLISHED,
        verdict="true",
        rationale="The capital was renamed Nur-Sultan in March 2019. (It took back the name "
        "Astana in September 2022, after this article.)",
        sources=[
            DemoSource(
                "https://en.wikipedia.org/wiki/Astana",
                "Astana",
                SourceKind.OTHER,
                Stance.SUPPORTS,
                excerpt="renamed Nur-Sultan in 2019",
                note="Il cambio di nome risale al marzo 2019.",
            )
        ],
    ),
    DemoClaim(
        quote="dal presidente Kassym-Jomart Tokayev che si è rifiutato davanti a Vladimir Putin "
        "di riconoscere la sovranità delle autoproclamate repubbliche di Donetsk e Lugansk",
        claim_reviewed="At the St Petersburg forum Tokayev refused, in front of Putin, to "
        "recognise Donetsk and Luhansk.",
        status=ClaimStatus.IN_REVIEW,
        verdict="true",
        rationale="In the plenary session transcript Tokayev says Kazakhstan will not recognise "
        "'quasi-state territories' such as Luhansk and Donetsk.",
        sources=[
            DemoSource(
                KREMLIN_SPIEF,
                "Plenary session of St Petersburg International Economic Forum",
                SourceKind.PRIMARY_DOCUMENT,
                Stance.SUPPORTS,
                locator="Tokayev's answer to the moderator",
            )
        ],
    ),
    DemoClaim(
        quote="Mosca ha bloccato a più riprese le esportazioni di petrolio kazako verso l’Europa "
        "attraverso il porto russo di Novorossijsk, adducendo presunte violazioni ambientali",
        claim_reviewed="Russia repeatedly blocked Kazakh oil exports through Novorossiysk, citing "
        "environmental violations.",
        status=ClaimStatus.RESEARCHING,
        sources=[
            DemoSource(
                "https://en.wikipedia.org/wiki/Caspian_Pipeline_Consortium",
                "Caspian Pipeline Consortium",
                SourceKind.OTHER,
                Stance.CONTEXT,
            )
        ],
    ),
    DemoClaim(
        quote="il capo del comando centrale degli Stati Uniti, il generale Michael Eric Kurilla",
        claim_reviewed="The head of US Central Command, General Michael Kurilla, visited "
        "Kazakhstan in June 2022.",
    ),
    DemoClaim(
        quote="le ambizioni di Mosca, come ha riferito un funzionario kazako al Wall Street "
        "Journal, non si esauriscano in Ucraina ma si allarghino all’ex Repubblica sovietica "
        "dell’Asia centrale",
        claim_reviewed="A Kazakh official told the WSJ that Moscow's ambitions may extend beyond "
        "Ukraine to Kazakhstan.",
        claimant="Kazakh government official",
        claimant_is_organization=False,
        attribution="as reported by the Wall Street Journal",
    ),
    DemoClaim(
        quote="a margine di un meeting in Qatar è tornato a definire Putin un «alleato fedele»",
        claim_reviewed="On the sidelines of a meeting in Qatar, Tokayev called Putin a "
        "'faithful ally'.",
    ),
    DemoClaim(
        quote="vietando sia le manifestazioni contro la guerra sia l’esposizione del simbolo Z",
        claim_reviewed="Kazakhstan banned both anti-war protests and displays of the Z symbol.",
        status=ClaimStatus.DISMISSED,
        dismiss_reason="Background, not a claim the article relies on; not worth a check.",
    ),
]


# An Italian desk checks an Italian article in Italian: each claim's wording and rationale as
# the desk wrote them, by the first words of its quote. The English wording and rationale in
# CLAIMS above become the English translation only for the claims in TRANSLATED_INTO_ENGLISH,
# so the English site shows both a translated check and one "available in Italian".
ITALIAN = {
    "Il Kazakistan, sempre come": (
        "Il Kazakistan ha destinato 918 milioni di dollari alla difesa, quasi una volta e mezzo "
        "il bilancio dell'anno prima.",
        "",
    ),
    "con in testa Margarita Simonyan": (
        "Margarita Simonyan, direttrice di RT, ha moderato la sessione del forum di San "
        "Pietroburgo con Tokayev e Putin.",
        "La trascrizione del Cremlino della sessione plenaria del Forum economico "
        "internazionale di San Pietroburgo (17 giugno 2022) indica come moderatrice Margarita "
        "Simonyan, caporedattrice di RT. Tokayev parlava allo stesso tavolo.",
    ),
    "i morti furono più di 200": (
        "Nelle proteste di gennaio 2022 in Kazakistan sono morte più di 200 persone.",
        "Le autorità kazake hanno indicato in 238 i morti dei disordini di gennaio 2022: più "
        "di 200.",
    ),
    "dove da mesi è presente": (
        "A luglio 2022 una forza di pace della Csto era in Kazakistan da mesi.",
        "La forza della Csto è arrivata il 6 gennaio 2022 e ha completato il ritiro il "
        "19 gennaio 2022. A luglio se n'era andata da sei mesi.",
    ),
    "A fine aprile, il ministro": (
        "A fine aprile 2022 il ministro della Difesa cinese Wei Fenghe ha visitato il "
        "Kazakistan e concordato una cooperazione militare più stretta.",
        "",
    ),
    "Ai primi di maggio infatti": (
        "Ai primi di maggio 2022 Tokayev ha firmato in Turchia un accordo per produrre droni "
        "militari.",
        "",
    ),
    "il governo di Nur-Sultan": (
        "La capitale del Kazakistan si chiamava Astana fino al 2019, poi Nur-Sultan.",
        "La capitale è stata ribattezzata Nur-Sultan nel marzo 2019. (Ha ripreso il nome "
        "Astana a settembre 2022, dopo questo articolo.)",
    ),
    "dal presidente Kassym-Jomart": (
        "Al forum di San Pietroburgo Tokayev si è rifiutato, davanti a Putin, di riconoscere "
        "Donetsk e Lugansk.",
        "Nella trascrizione della sessione plenaria Tokayev dice che il Kazakistan non "
        "riconoscerà «territori quasi statali» come Lugansk e Donetsk.",
    ),
    "Mosca ha bloccato a più riprese": (
        "La Russia ha bloccato più volte le esportazioni di petrolio kazako da Novorossijsk, "
        "adducendo violazioni ambientali.",
        "",
    ),
    "il capo del comando centrale": (
        "Il capo del Comando centrale degli Stati Uniti, il generale Michael Kurilla, ha "
        "visitato il Kazakistan a giugno 2022.",
        "",
    ),
    "le ambizioni di Mosca, come": (
        "Un funzionario kazako ha detto al Wsj che le ambizioni di Mosca potrebbero andare "
        "oltre l'Ucraina, fino al Kazakistan.",
        "",
    ),
    "a margine di un meeting in Qatar": (
        "A margine di un incontro in Qatar, Tokayev ha definito Putin un «alleato fedele».",
        "",
    ),
    "vietando sia le manifestazioni": (
        "Il Kazakistan ha vietato sia le proteste contro la guerra sia l'esposizione del "
        "simbolo Z.",
        "",
    ),
}
TRANSLATED_INTO_ENGLISH = {
    "con in testa Margarita Simonyan",
    "dove da mesi è presente",
    "dal presidente Kassym-Jomart",
    "le ambizioni di Mosca, come",
}


def _italian(demo: "DemoClaim") -> tuple[str, str, str | None]:
    """(Italian wording, Italian rationale, the key when English is translated too)."""
    key = next(key for key in ITALIAN if demo.quote.startswith(key))
    wording, rationale = ITALIAN[key]
    return wording, rationale, key if key in TRANSLATED_INTO_ENGLISH else None


@dataclass
class DemoResult:
    created: bool
    article: Article
    superuser_password: str | None


def _desk_user(username: str, first: str, last: str, group: str):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "is_staff": True}
    )
    if created:
        # The demo colleagues appear on the record but cannot log in until an admin sets a
        # password for them.
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=group))
    return user


def _superuser() -> str | None:
    """Create the demo superuser with a random password; return it, or None if it existed."""
    User = get_user_model()
    if User.objects.filter(username=SUPERUSER).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(SUPERUSER, "admin@localhost", password)
    return password


@transaction.atomic
def load_demo() -> DemoResult:
    """Load the demo desk once. Running it again changes nothing."""
    password = _superuser()
    existing = Article.objects.filter(slug=ARTICLE_SLUG).first()
    if existing is not None:
        return DemoResult(created=False, article=existing, superuser_password=password)

    checker = _desk_user("giulia", "Giulia", "Ferri", "Fact-checkers")
    editor = _desk_user("marco", "Marco", "Bassi", "Editors")
    outlet_get_or_create(
        domain="wsj.com",
        name="The Wall Street Journal",
        country="US",
        language="en",
        reliability=Reliability.RELIABLE,
        reliability_note="Established newspaper with a public corrections policy.",
    )
    outlet, _ = outlet_get_or_create(
        domain=OUTLET_DOMAIN, name=OUTLET_NAME, country="IT", language="it"
    )
    article = services.article_create(
        url=ARTICLE_URL,
        outlet=outlet,
        title="Kazakistan, la guerra in Ucraina complica i rapporti con la Russia",
        text=ARTICLE_FILE.read_text(encoding="utf-8"),
        language="it",
        published_on=date(2022, 7, 1),
        published_precision=DatePrecision.MONTH,
        slug=ARTICLE_SLUG,
        origin=ArticleRevision.Origin.DEMO,
        created_by=checker,
    )
    verdicts = {rating.code: rating for rating in VerdictRating.objects.all()}
    for demo in CLAIMS:
        _load_claim(demo, article, verdicts, checker=checker, editor=editor)
    # The detector's suggestions for what is not checked yet, ready on the article's admin page.
    candidates_refresh(article=article)
    return DemoResult(created=True, article=article, superuser_password=password)


def _load_claim(demo: DemoClaim, article, verdicts, *, checker, editor):
    wording, rationale, english = _italian(demo)
    claim = services.claim_create(
        article=article,
        quote=demo.quote,
        claim_reviewed=wording,
        claimant=demo.claimant,
        claimant_is_organization=demo.claimant_is_organization,
        claimant_url=f"https://www.{OUTLET_DOMAIN}/" if demo.claimant == OUTLET_NAME else "",
        attribution=demo.attribution,
        created_by=checker,
    )
    if english:
        services.claim_translation_set(
            claim=claim,
            language="en",
            claim_reviewed=demo.claim_reviewed,
            rationale=demo.rationale,
            actor=checker,
        )
    if demo.status == ClaimStatus.DISMISSED:
        services.claim_dismiss(claim=claim, actor=editor, reason=demo.dismiss_reason)
        return
    if demo.status == ClaimStatus.NEW:
        return
    claim = services.claim_start_research(claim=claim, actor=checker)
    for item in demo.sources:
        source, _ = source_get_or_create(url=item.url, title=item.title, kind=item.kind)
        evidence = services.evidence_add(
            claim=claim,
            source=source,
            stance=item.stance,
            excerpt=item.excerpt,
            locator=item.locator,
            note=item.note,
            added_by=checker,
        )
        if english and item.note_en:
            services.evidence_note_translation_set(
                evidence=evidence, language="en", note=item.note_en, actor=checker
            )
    if not demo.verdict:
        return
    claim = services.claim_update(
        claim=claim, actor=checker, verdict=verdicts[demo.verdict], rationale=rationale
    )
    claim = services.claim_submit_for_review(claim=claim, actor=checker)
    if demo.status == ClaimStatus.PUBLISHED:
        services.claim_publish(claim=claim, actor=editor)
