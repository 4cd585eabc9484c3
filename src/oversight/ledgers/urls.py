from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("campaigns/<slug:slug>/ledger/", views.ledger, name="ledger"),
    path("campaigns/<slug:slug>/ledger/download/", views.download, name="download"),
    path("campaigns/<slug:slug>/ledger/confirm/", views.confirm, name="confirm"),
]
