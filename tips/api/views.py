"""POST /api/v1/tips/: a tipline bot (a WhatsApp or Telegram bridge) sends a reader's tip."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import IdempotentPostMixin
from api.models import IntegrationKey
from claims import translations

from ..models import TipChannel
from ..services import TipRateLimited, tip_submit
from .serializers import TipAnswerSerializer, TipInputSerializer


class TipCreateView(IdempotentPostMixin, APIView):
    """A reader's tip, from a tipline bot acting with a read-write API key whose staff member
    may add tips (tips.add_tip): the matching published checks at once, or the request's
    reference and a thank-you that says what happens next. A bot that retries with the same
    Idempotency-Key is answered again without the tip being counted twice."""

    write_permissions = {None: "tips.add_tip"}

    @extend_schema(
        request=TipInputSerializer,
        responses={201: TipAnswerSerializer},
        description=str(
            gettext_lazy(
                "Send a reader's tip. The answer holds the published checks that match it with "
                "confidence, or a thank-you and the reference of the request it was filed under."
            )
        ),
    )
    def post(self, request):
        data = TipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        sender = None
        if values.get("reader"):
            owner = request.auth.prefix if isinstance(request.auth, IntegrationKey) else "user"
            sender = f"api:{owner}:{request.user.pk}:{values['reader']}"
        try:
            outcome = tip_submit(
                text=values["text"],
                link=values.get("link", ""),
                email=values.get("email", ""),
                notify=values["notify"] and bool(values.get("email")),
                reader_language=values["language"],
                channel=TipChannel.API,
                sender=sender,
            )
        except TipRateLimited:
            raise Throttled(detail=_("Too many tips from this reader; try again later.")) from None
        answer = outcome.answer
        with override(values["language"]):
            claims = translations.for_reader(
                [match.claim for match in answer.claims], values["language"]
            )
            body = {
                "status": "answered" if answer.found else "received",
                "request": outcome.request.reference,
                "message": _message(answer.found, values["notify"] and bool(values.get("email"))),
                "claims": claims,
                "fact_checks": [match.fact_check for match in answer.fact_checks],
                "note": answer.note,
            }
            for claim, match in zip(claims, answer.claims, strict=True):
                claim.similarity = match.similarity
            payload = TipAnswerSerializer(body, context={"request": request}).data
        return Response(payload, status=status.HTTP_201_CREATED)


def _message(found: bool, notify: bool) -> str:
    if found:
        return _("This has been checked. Here is what we and other fact-checkers found.")
    if notify:
        return _(
            "Thank you. We have not checked this yet; the desk reads every question. If we "
            "check it, we will write to you once when the check is published."
        )
    return _(
        "Thank you. We have not checked this yet; the desk reads every question and checks "
        "the ones it can, most asked first."
    )
