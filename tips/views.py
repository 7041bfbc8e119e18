"""The public "Send us a claim to check" page. Thin: the form's fields go to
tips.services.tip_submit, whose answer is rendered in the response to the POST itself; there
is no page to come back to, so nothing a reader sent is ever at an address another can open."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from claims import translations

from .forms import TipForm
from .limits import client_address
from .models import TipChannel
from .services import TipRateLimited, tip_submit


@never_cache  # the form carries the reader's CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request):
    if request.method != "POST":
        form = TipForm(initial={"language": get_language()})
        return render(request, "tips/submit.html", {"form": form})
    form = TipForm(request.POST)
    if not form.is_valid():
        return render(request, "tips/submit.html", {"form": form}, status=400)
    data = form.cleaned_data
    if data["website"]:
        # A bot filled the honeypot: it is thanked like anyone and nothing is kept.
        return render(request, "tips/thanks.html", {"answer": None, "reference": None})
    try:
        outcome = tip_submit(
            text=data["text"],
            link=data["link"],
            email=data["email"],
            notify=data["notify"],
            reader_language=data["language"],
            channel=TipChannel.WEB,
            sender=client_address(request),
        )
    except TipRateLimited:
        return render(request, "tips/submit.html", {"form": form, "limited": True}, status=429)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return render(request, "tips/submit.html", {"form": form}, status=400)
    answer = outcome.answer
    claims = translations.for_reader([match.claim for match in answer.claims], get_language())
    return render(
        request,
        "tips/thanks.html",
        {
            "answer": answer,
            "claims": claims,
            "fact_checks": [match.fact_check for match in answer.fact_checks],
            "reference": outcome.request.reference,
            "notify": data["notify"],
        },
    )
