"""Query filters shared by the API's list endpoints."""

from datetime import UTC, datetime

from django import forms
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend


class SingleValuedQuery(BaseFilterBackend):
    """Every query parameter takes one value: "?status=new&status=published" is a 400 rather
    than a silent "published" (the last one), which is not what the caller meant."""

    def filter_queryset(self, request, queryset, view):
        repeated = sorted(k for k, v in request.query_params.lists() if len(v) > 1)
        if repeated:
            raise ValidationError(
                {name: [_("Give this parameter once.")] for name in repeated}, code="invalid"
            )
        return queryset


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(filters.NumberFilter):
    """A related object by id. An id that names nothing finds nothing (an empty page, not a 400:
    the caller may not be allowed to know whether it exists); one that is not a whole number of
    at least 1 is a 400."""

    field_class = forms.IntegerField
    # Ids are 64-bit (BigAutoField): a larger number can name nothing, and the databases
    # refuse to compare with it (SQLite raises OverflowError), so the schema bounds it.
    MAX_ID = 2**63 - 1

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", self.MAX_ID)
        super().__init__(*args, **kwargs)


class _StrictNullBooleanField(forms.NullBooleanField):
    def to_python(self, value):
        if value not in (None, "", True, False, "true", "false", "True", "False", "1", "0"):
            raise forms.ValidationError(_("Give true or false."), code="invalid")
        return super().to_python(value)


class BooleanFilter(filters.BooleanFilter):
    """true or false; anything else is a 400 (django-filter would quietly not filter)."""

    field_class = _StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        # The raw value, not BooleanWidget's reading of anything unknown as "no filter".
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class _UtcIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 with any UTC offset RFC 3339 allows (up to ±23:59), turned into UTC before it
    reaches the database (PostgreSQL refuses offsets past ±15:59)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or parsed.utcoffset() is None:
            return parsed
        try:
            return parsed.astimezone(UTC)
        except OverflowError:
            # Within a day of year 1 or 9999: the nearest instant Python can hold compares the
            # same against every stored date.
            edge = datetime.min if parsed.year == 1 else datetime.max
            return edge.replace(tzinfo=UTC)


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = _UtcIsoDateTimeField
