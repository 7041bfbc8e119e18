from django.urls import path

from .similar import CheckedBeforeView, SimilarClaimsView

urlpatterns = [path("", SimilarClaimsView.as_view(), name="claims-similar")]
checked_before_urlpatterns = [
    path("", CheckedBeforeView.as_view(), name="claims-checked-before"),
]
