from datetime import timedelta

from django import forms
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from claims import visibility
from claims.choices import ClaimStatus
from claims.models import Claim


class _PlausibleIsoDateTimeField(IsoDateTimeField):
    """ISO 8601 with a UTC offset within the ±14 h that exist (the database refuses others)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        offset = parsed.utcoffset() if parsed else None
        if offset is not None and abs(offset) > timedelta(hours=14):
            raise forms.ValidationError(_("The UTC offset is out of range."), code="invalid")
        return parsed


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = _PlausibleIsoDateTimeField


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    verdict = filters.CharFilter(field_name="verdict__code", help_text="Verdict code, e.g. false.")
    language = filters.CharFilter()
    article = filters.NumberFilter(field_name="article_id")
    outlet = filters.CharFilter(
        field_name="article__outlet__domain", help_text="Domain of the article's outlet."
    )
    topic = filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    claimed_after = filters.DateFilter(field_name="claimed_on", lookup_expr="gte")
    claimed_before = filters.DateFilter(field_name="claimed_on", lookup_expr="lte")
    assignee = filters.CharFilter(method="filter_assignee", help_text="Username (staff only).")
    needs_rating_mapping = filters.BooleanFilter(
        method="filter_needs_rating_mapping",
        help_text="Imported claims whose rating is not on the scale yet.",
    )

    class Meta:
        model = Claim
        fields = []

    def filter_assignee(self, queryset, name, value):
        # Who works on what is internal: the filter does nothing for the public.
        if not visibility.sees_drafts(self.request):
            return queryset
        return queryset.filter(assignee__username=value)

    def filter_needs_rating_mapping(self, queryset, name, value):
        unmapped = queryset.filter(verdict__isnull=True).exclude(imported_rating="")
        return unmapped if value else queryset.exclude(pk__in=unmapped.values("pk"))
