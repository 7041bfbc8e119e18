"""Seed the default verdict scale in English and Italian. Editors may change it afterwards."""

from django.db import migrations

# (code, English, Italian, ratingValue, colour, meaning in English, meaning in Italian, aliases)
SCALE = [
    ("true", "True", "Vero", 6, "#1b7a3a",
     "The claim is accurate and nothing significant is missing.",
     "L'affermazione è accurata e non manca nulla di rilevante.",
     "correct\naccurate\ncorretto\nvera\nverdadeiro\nverdadero\nvrai\nwahr"),
    ("mostly-true", "Mostly true", "Quasi vero", 5, "#5b8f29",
     "The claim is accurate but needs clarification or additional information.",
     "L'affermazione è accurata ma va chiarita o completata.",
     "c'eri quasi\nmostly correct\nlargely accurate\nquasi vera"),
    ("mixed", "Mixed", "In parte vero", 4, "#a87900",
     "The claim is partly accurate and partly not.",
     "L'affermazione è in parte accurata e in parte no.",
     "half true\nhalf-true\nnì\nni\npartly true\npartly false\nmixture\nparzialmente vero\n"
     "parzialmente falso\nmezzo vero\nhalf truth"),
    ("misleading", "Misleading", "Fuorviante", 3, "#b35c00",
     "The claim contains accurate elements but leaves a false impression.",
     "L'affermazione contiene elementi veri ma dà un'impressione sbagliata.",
     "missing context\nout of context\nfuori contesto\nmanipulated\nexaggerated\nesagerato\n"
     "cherry-picked\nenganoso\nengañoso"),
    ("mostly-false", "Mostly false", "Quasi falso", 2, "#b3401e",
     "The claim contains an element of truth but ignores critical facts.",
     "L'affermazione contiene un elemento di verità ma ignora fatti decisivi.",
     "barely true\nmostly incorrect\npanzana\nquasi falsa"),
    ("false", "False", "Falso", 1, "#9f1d20",
     "The claim is inaccurate.",
     "L'affermazione non è accurata.",
     "incorrect\nfake\npants on fire\npants-fire\nfalsa\nnotizia falsa\nbufala\nfalso\n"
     "faux\nfalsch\nfake news\nwrong"),
    ("unverifiable", "Unverifiable", "Non verificabile", None, "#5f6368",
     "The available evidence can neither prove nor disprove the claim.",
     "Le prove disponibili non permettono né di confermare né di smentire l'affermazione.",
     "unproven\nunsupported\nno evidence\nsenza prove\nnon dimostrato\ninsufficient evidence"),
]


def seed(apps, schema_editor):
    VerdictRating = apps.get_model("claims", "VerdictRating")
    for order, (code, en, it, value, colour, meaning_en, meaning_it, aliases) in enumerate(
        SCALE, start=1
    ):
        VerdictRating.objects.update_or_create(
            code=code,
            defaults={
                "label_en": en,
                "label_it": it,
                "rating_value": value,
                "colour": colour,
                "order": order,
                "description_en": meaning_en,
                "description_it": meaning_it,
                "aliases": aliases,
                "requires_methods_note": value is None,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_search")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
