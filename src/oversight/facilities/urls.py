"""Included from ``indicators/urls.py``: the names are ``indicators:facilities:*``."""

from django.urls import path

from . import views

app_name = "facilities"
urlpatterns = [
    path("facilities/<slug:topic>/<str:code>/", views.facility_list, name="list"),
    path("facilities/<slug:topic>/<str:code>/new/", views.facility_create, name="create"),
    path("facilities/<slug:topic>/<str:code>/<int:pk>/edit/", views.facility_edit, name="edit"),
]
