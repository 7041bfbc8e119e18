"""The Jinja2 environment of the public reader pages (templates/jinja2/).

Readers' pages are rendered with Jinja2 rather than the Django template language because
they are the hot path of an uncached page: Jinja2 compiles each template to Python once, and
renders a claim page several times faster (bench/bench_pages.py). The admin and e-mails
stay on Django templates.

Django's own helpers keep the two alike: the same gettext catalogue (msgids are written
exactly as Django's {% translate %} and {% blocktranslate %} wrote them; `make messages`
extracts them, ops/management/commands/makemessages.py), the same localised date formats,
and the same time zone.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.translation import trans_real
from jinja2 import Environment, Undefined
from markupsafe import Markup

from claims import reader
from lib import url_shapes
from lib.text import strip_bidi_controls

url = url_shapes.reverse


def date(value, format_name: str | None = None) -> str:
    """Django's |date filter, in the site's time zone as Django templates show datetimes."""
    if value in (None, ""):
        return ""
    value = timezone.template_localtime(value)
    # The machine-readable formats of <time datetime> and meta tags, which need no
    # localisation: Django's own "c" is isoformat(), and a page prints several.
    if format_name == "c":
        return value.isoformat()
    if format_name == "Y-m-d":
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return defaultfilters.date(value, format_name)


@lru_cache(maxsize=256)
def cached_static(path: str) -> str:
    # A static file's address changes only with a new deployment (its manifest) or settings.
    return static(path)


def translations(request) -> dict:
    """A context processor: _(), gettext() and ngettext() bound to the request's language.

    They do what the environment's own do (Jinja2's "newstyle" gettext over Django's), more
    cheaply: the environment's look the active language up on every call and go through three
    template function calls, and a claim page translates about forty strings. These are bound
    once per language, to a catalogue that remembers what it has translated. Macros imported
    without context use the environment's, with the same result.
    """
    return _translations(translation.get_language())


@lru_cache(maxsize=16)
def _translations(language: str) -> dict:
    catalogue = trans_real.translation(language)
    plain = {}  # message -> its translation, ready to print (most calls have no variables)

    # Markup, then "%" with the variables (escaped by Markup), exactly as Jinja2's newstyle
    # gettext does; autoescaping is always on in this environment.
    def gettext(message: str, **variables) -> Markup:
        if variables:
            return Markup(catalogue.gettext(message)) % variables  # noqa: S704 (our catalogue)
        try:
            return plain[message]
        except KeyError:
            plain[message] = Markup(catalogue.gettext(message)) % {}  # noqa: S704
            return plain[message]

    def ngettext(singular: str, plural: str, number: int, **variables) -> Markup:
        variables.setdefault("num", number)
        text = catalogue.ngettext(singular, plural, number)
        return Markup(text) % variables  # noqa: S704 (our catalogue)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on: every value a reader page shows is escaped
    # A missing value (a claim with no verdict, say) renders empty, as in Django templates,
    # and the same with DEBUG on: Django's default would print a marker into the page.
    options["undefined"] = Undefined
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.globals.update(
        static=cached_static,
        url=url,
        get_language=translation.get_language,
        language_links=reader.language_links,
        site_urls=reader.site_urls,
        annotated_paragraphs=reader.annotated_paragraphs,
    )
    env.filters.update(
        date=date,
        capfirst=defaultfilters.capfirst,
        truncatechars=defaultfilters.truncatechars,
        ld_json=reader.ld_json,
        verdict_label=reader.verdict_label,
        reliability_label=reader.reliability_label,
        language_name=reader.language_name,
        language_name_in_reader=reader.language_name_in_reader,
        # For text outside HTML's reach (meta tags, <title>), where <bdi> cannot isolate it.
        strip_bidi=strip_bidi_controls,
    )
    return env


@receiver(setting_changed)
def _forget_cached(*, setting, **kwargs):
    # Tests may change the languages or where catalogues live; Django reloads its own then.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _translations.cache_clear()
    if setting in {"STATIC_URL", "STORAGES"}:
        cached_static.cache_clear()
