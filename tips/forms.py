from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import MAX_LINK, MAX_TEXT


class TextAreaField(forms.CharField):
    """A textarea's text with its line breaks as the browser counted them: maxlength counts
    one character for a line break, which the browser then sends as two (CR LF)."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")


class TipForm(forms.Form):
    """The reader's side of tips.services.tip_submit; the service applies the rules."""

    text = TextAreaField(
        label=_("The claim you want checked"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
        help_text=_("Plain text, as you read or heard it."),
    )
    link = forms.CharField(
        label=_("Where you saw it (optional)"),
        required=False,
        max_length=MAX_LINK,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    email = forms.CharField(
        label=_("Your e-mail address (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    notify = forms.BooleanField(label=_("Tell me when it is checked"), required=False)
    language = forms.ChoiceField(label=_("Your language"), choices=settings.LANGUAGES)
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by form-filling bots.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
