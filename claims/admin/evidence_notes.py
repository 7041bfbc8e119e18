"""Evidence notes in the other site languages, typed in the claim page's evidence table.

Each evidence row gets one note field per other site language, beside the note in the claim's
own language; an empty one is marked missing. Django's admin has no inline within an inline,
so these are plain form fields, saved through evidence_note_translation_set (as the API is).
"""

from django import forms
from django.utils.translation import gettext as _

from .. import services, translations
from ..models import EVIDENCE_NOTE_MAX_LENGTH, Claim, content_language
from ..permissions import editable_fields
from ..reader import language_name_in_reader

PREFIX = "note_"


def note_field_names(user, claim: Claim | None) -> list[str]:
    """The translated-note fields `user` gets on `claim`'s evidence rows: none on a new claim
    or for someone who may not change the claim's wording (the service's rule)."""
    if claim is None or "claim_reviewed" not in editable_fields(user, claim):
        return []
    return [PREFIX + code for code in translations.other_languages(claim)]


def _language_name(code: str) -> str:
    # A claim's own language is free text: Django may know no name for it ("und").
    return language_name_in_reader(code)


def form_with_notes(base: type[forms.ModelForm], claim: Claim, names: list[str]) -> type:
    """`base` with a note field for each language in `names`, filled from the row's
    translations (prefetched by the inline's queryset)."""
    own = _language_name(content_language(claim.language))
    fields = {}
    for name in names:
        language = _language_name(name.removeprefix(PREFIX))
        fields[name] = forms.CharField(
            label=_("note · %(language)s") % {"language": language},
            required=False,
            max_length=EVIDENCE_NOTE_MAX_LENGTH,
            widget=forms.Textarea(
                attrs={
                    "rows": 2,
                    "placeholder": _("Missing in %(language)s") % {"language": language},
                }
            ),
        )

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        self.fields["note"].label = _("note · %(language)s (original)") % {"language": own}
        if self.instance.pk:
            notes = {row.language: row.note for row in self.instance.translations.all()}
            for name in names:
                self.initial.setdefault(name, notes.get(name.removeprefix(PREFIX), ""))

    return type(base.__name__, (base,), {**fields, "__init__": __init__})


def notes_save(request, formset) -> None:
    """Write each changed translated note of the saved evidence rows (deleted rows have none)."""
    for form in formset.forms:
        if form in formset.deleted_forms or not form.cleaned_data or form.instance.pk is None:
            continue
        for name in form.changed_data:
            if not name.startswith(PREFIX):
                continue
            services.evidence_note_translation_set(
                evidence=form.instance,
                language=name.removeprefix(PREFIX),
                note=form.cleaned_data[name],
                actor=request.user,
            )
