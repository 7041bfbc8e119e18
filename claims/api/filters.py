from django_filters import rest_framework as filters

from api.filters import BooleanFilter, DateTimeFilter, IdFilter
from claims import visibility
from claims.choices import ClaimStatus
from claims.models import Article, Claim, ClaimEvent, Correction


class ClaimFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ClaimStatus.choices)
    verdict = filters.CharFilter(field_name="verdict__code", help_text="Verdict code, e.g. false.")
    language = filters.CharFilter()
    article = IdFilter(field_name="article_id")
    outlet = filters.CharFilter(
        field_name="article__outlet__domain", help_text="Domain of the article's outlet."
    )
    claimant = IdFilter(field_name="speaker_id", help_text="Id of the claimant record.")
    topic = filters.CharFilter(field_name="topics__slug", help_text="Topic slug.")
    published_after = DateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = DateTimeFilter(field_name="published_at", lookup_expr="lt")
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = DateTimeFilter(field_name="created_at", lookup_expr="lt")
    claimed_after = filters.DateFilter(field_name="claimed_on", lookup_expr="gte")
    claimed_before = filters.DateFilter(field_name="claimed_on", lookup_expr="lte")
    assignee = filters.CharFilter(method="filter_assignee", help_text="Username (staff only).")
    needs_rating_mapping = BooleanFilter(
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


class ArticleFilter(filters.FilterSet):
    language = filters.CharFilter()
    outlet = IdFilter(field_name="outlet_id", help_text="The outlet's id.")

    class Meta:
        model = Article
        fields = []


class CorrectionFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id", help_text="The claim's id.")

    class Meta:
        model = Correction
        fields = []


class ClaimEventFilter(filters.FilterSet):
    claim = IdFilter(field_name="claim_id", help_text="The claim's id.")
    kind = filters.ChoiceFilter(choices=ClaimEvent.Kind.choices)

    class Meta:
        model = ClaimEvent
        fields = []
