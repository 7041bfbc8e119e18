"""Aliases for the rating labels of Italian, English, Spanish, Portuguese, French and German
fact-checkers, so an imported ClaimReview maps onto the default scale.

Labels are matched in claims.ratings' normal form (case, accents, punctuation, hyphens and
underscores folded), so one spelling per label is enough here. Labels that are not a verdict on
truth (PolitiFact's Flip-O-Meter "full flop", "satire", "other") are left out on purpose: they
stay verbatim and flagged for an editor. Each label is written here in words the desk can
audit; an editor can remove any of them on the scale's admin page.

Only ratings whose code still exists get aliases, and an alias the rating already has (in any
spelling) is not added twice. Reversing leaves the aliases: they may have been edited since.
"""

from django.db import migrations

from claims.ratings import normalise_label

ALIASES = {
    "true": [
        "vero", "notizia vera", "verdadeiro", "verdadero", "cierto", "vrai", "wahr", "richtig",
        "stimmt", "correct", "accurate", "正確", "正确",
    ],
    "mostly-true": [
        "mostly true", "almost true", "true but", "largely true", "c'eri quasi", "quasi vero",
        "mayormente verdadero", "mayormente cierto", "verdadeiro mas", "praticamente verdadeiro",
        "plutôt vrai", "größtenteils richtig", "weitgehend richtig", "größtenteils wahr",
    ],
    "mixed": [
        "half true", "half false", "partly true", "partly false", "partially true",
        "partially false", "partly true/misleading", "mix", "mixture", "maybe true", "not quite",
        "contradictory", "nì", "parzialmente vero", "parzialmente falso", "verdad a medias",
        "verdadero a medias", "medio verdadero", "parcialmente verdadero", "parcialmente falso",
        "meia verdade", "parcialmente verdadeiro", "en partie vrai", "partiellement vrai",
        "partiellement faux", "à moitié vrai", "teilweise richtig", "teilweise falsch",
        "halb wahr", "teilweise wahr", "部分錯誤", "部分错误",
    ],
    "misleading": [
        "misleading", "false context", "missing context", "lacks context", "out of context",
        "manipulated", "distorted", "exaggerated", "misplaced", "deceptive", "selective",
        "underestimated", "misconception", "inaccurate", "imprecise", "incomplete", "commotion",
        "fuori contesto", "notizia imprecisa", "immagine modificata", "notizia vecchia",
        "fuorviante", "distorto", "impreciso", "engañoso", "descontextualizado",
        "sin contexto", "fuera de contexto", "exagerado", "enganoso", "distorcido",
        "fora de contexto", "sem contexto", "trompeur", "hors contexte", "sorti du contexte",
        "exagéré", "manipulé", "irreführend", "fehlender kontext", "aus dem kontext gerissen",
        "übertrieben", "manipuliert",
    ],
    "mostly-false": [
        "mostly false", "almost false", "almost untrue", "barely true", "mostly incorrect",
        "quasi falso", "mayormente falso", "praticamente falso", "plutôt faux",
        "größtenteils falsch", "weitgehend falsch",
    ],
    "false": [
        "false", "completely false", "very false", "total lie", "fabricated", "fake",
        "pants on fire", "pants fire", "short legs", "pepper on the tongue", "crazy",
        "going pinocchio", "impostor", "imposter", "myth", "hoax", "wrong", "incorrect",
        "panzana pazzesca", "pinocchio andante", "notizia falsa", "bufala", "falso", "falsa",
        "totalmente falso", "completamente falso", "falso total", "faux", "totalement faux",
        "entièrement faux", "falsch", "frei erfunden", "völlig falsch", "komplett falsch",
        "錯誤", "错误",
    ],
    "unverifiable": [
        "unverifiable", "unproven", "not proven", "no evidence", "cannot be checked",
        "uncheckable", "difficult to determine", "difficult to prove", "too early to say",
        "no verdict", "investigations continue", "in process", "watching", "doubtful",
        "debatable", "controversial", "complicated", "untenable", "unsustainable", "not sure",
        "suspicious", "controverso", "non verificabile", "non dimostrato", "non provato",
        "inverificable", "sin evidencia", "sin pruebas", "sem provas", "insustentável",
        "invérifiable", "non prouvé", "nicht belegt", "unbelegt",
    ],
}  # fmt: skip


def add_aliases(apps, schema_editor):
    VerdictRating = apps.get_model("claims", "VerdictRating")
    for rating in VerdictRating.objects.filter(code__in=ALIASES):
        names = [rating.code, rating.label_en, rating.label_it, *rating.aliases.splitlines()]
        known = {normalise_label(name) for name in names}
        new = []
        for alias in ALIASES[rating.code]:
            if normalise_label(alias) not in known:
                known.add(normalise_label(alias))
                new.append(alias)
        if new:
            rating.aliases = "\n".join([*rating.aliases.splitlines(), *new])
            rating.save(update_fields=["aliases"])


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_lists_list_indexes")]

    operations = [migrations.RunPython(add_aliases, migrations.RunPython.noop)]
