from django_filters import rest_framework as filters

from claims.choices import ClaimStatus
from claims.models import Claim
from integrations.permissions import is_desk


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    verdict = filters.CharFilter(field_name="verdict__code", help_text="Verdict code, e.g. false.")
    language = filters.CharFilter()
    article = filters.NumberFilter(field_name="article_id")
    outlet = filters.CharFilter(
        field_name="article__outlet__domain", help_text="Domain of the article's outlet."
    )
    topic = filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    published_after = filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lt")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
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
        if not is_desk(getattr(self.request, "user", None)):
            return queryset
        return queryset.filter(assignee__username=value)

    def filter_needs_rating_mapping(self, queryset, name, value):
        unmapped = queryset.filter(verdict__isnull=True).exclude(imported_rating="")
        return unmapped if value else queryset.exclude(pk__in=unmapped.values("pk"))
