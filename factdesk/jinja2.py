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

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import Environment, Undefined

from claims import reader


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date(value, format_name: str | None = None) -> str:
    """Django's |date filter, in the site's time zone as Django templates show datetimes."""
    if value in (None, ""):
        return ""
    return defaultfilters.date(timezone.template_localtime(value), format_name)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on: every value a reader page shows is escaped
    # A missing value (a claim with no verdict, say) renders empty, as in Django templates,
    # and the same with DEBUG on: Django's default would print a marker into the page.
    options["undefined"] = Undefined
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.globals.update(
        static=static,
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
        markdown=reader.markdown,
        ld_json=reader.ld_json,
        verdict_label=reader.verdict_label,
        language_name=reader.language_name,
    )
    return env
