from django.urls import path

from . import views

app_name = "sources"

urlpatterns = [
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("outlets/<str:domain>/", views.outlet_detail, name="outlet"),
]
