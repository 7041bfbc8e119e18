from django.urls import path

from .similar import SimilarClaimsView

urlpatterns = [path("", SimilarClaimsView.as_view(), name="claims-similar")]
