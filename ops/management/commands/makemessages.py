"""Django's makemessages, plus the public pages' Jinja2 templates (templates/jinja2/).

Django's own command reads Python and Django templates only: left alone, it would miss the
reader pages' strings and mark their translations obsolete. This command extracts them with
Jinja2's own parser into the same django.pot before it is merged into each django.po.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import makemessages
from django.core.management.utils import popen_wrapper
from django.template import engines

JINJA_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "jinja2"


class Command(makemessages.Command):
    help = makemessages.Command.help + " Also extracts the Jinja2 templates in templates/jinja2."

    def find_files(self, root):
        # Django would read Jinja2 templates as its own and find only some of their strings.
        files = super().find_files(root)
        return [file for file in files if not _is_jinja_template(Path(file.dirpath))]

    def build_potfiles(self):
        potfiles = super().build_potfiles()
        if self.domain != "django":
            return potfiles
        potfile = Path(settings.LOCALE_PATHS[0]) / "django.pot"
        with potfile.open("a", encoding="utf-8") as pot:
            pot.write(jinja_pot_entries())
        # Strings both Python and a template use now appear twice: merge them, as Django does.
        messages, errors, status = popen_wrapper(["msguniq", *self.msguniq_options, str(potfile)])
        if status:
            raise CommandError(f"msguniq failed on {potfile}:\n{errors}")
        potfile.write_text(messages, encoding="utf-8")
        return potfiles if str(potfile) in potfiles else [*potfiles, str(potfile)]


def _is_jinja_template(directory: Path) -> bool:
    return directory.resolve().is_relative_to(JINJA_TEMPLATES)


def jinja_pot_entries(folder: Path = JINJA_TEMPLATES) -> str:
    """PO entries (msgid, msgid_plural) for every translatable string in the Jinja2
    templates under `folder`, with file:line references."""
    env = engines["jinja2"].env
    entries = []
    for template in sorted(folder.rglob("*.html")):
        reference = os.path.relpath(template, settings.BASE_DIR)
        source = template.read_text(encoding="utf-8")
        for line, function, message in env.extract_translations(source):
            strings = [message] if isinstance(message, str) else [m for m in message if m]
            lines = [f"#: {reference}:{line}"]
            # Every gettext call here formats its string (Jinja2's "newstyle" gettext).
            lines.append("#, python-format")
            lines.append(f"msgid {_quoted(strings[0])}")
            if function == "ngettext":
                lines += [f"msgid_plural {_quoted(strings[1])}", 'msgstr[0] ""', 'msgstr[1] ""']
            else:
                lines.append('msgstr ""')
            entries.append("\n".join(lines))
    return "\n\n" + "\n\n".join(entries) + "\n"


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
