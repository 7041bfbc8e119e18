from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
]
