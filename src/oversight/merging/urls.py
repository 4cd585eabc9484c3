from django.urls import path

from . import views

app_name = "merging"
urlpatterns = [
    path("campaigns/<slug:slug>/merging/", views.proposals, name="proposals"),
]
