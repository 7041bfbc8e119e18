"""POST /api/v1/monitored-sources/{id}/lines/: one line of a live event's transcript.

A captioning or speech-to-text bridge posts each line as it is said, with a read-write key of a
staff member who may add monitored items; the answer holds the line's sentences, scored and
matched, and the live admin page shows them within a second. Broken input is a 400 with a
message per field (an unreadable timestamp, an end before the start, an empty line)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.idempotency import IdempotentPostMixin

from ..models import MonitoredSource
from ..selectors import live_line_data
from ..services import transcript_line_add
from .serializers import TranscriptLineInputSerializer, TranscriptSentenceSerializer


class TranscriptLineView(IdempotentPostMixin, APIView):
    write_permissions = {None: "monitoring.add_monitoreditem"}

    @extend_schema(
        request=TranscriptLineInputSerializer,
        responses={201: TranscriptSentenceSerializer(many=True)},
    )
    def post(self, request, pk: int):
        given = TranscriptLineInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        source = get_object_or_404(MonitoredSource, pk=pk, kind=MonitoredSource.Kind.TRANSCRIPT)
        sentences = transcript_line_add(source=source, **given.validated_data)
        data = [live_line_data(sentence) for sentence in sentences]
        return Response(data, status=status.HTTP_201_CREATED)
