from django.urls import path

from . import views

app_name = "figures"
urlpatterns = [
    path("campaigns/<slug:slug>/figures/", views.extraction_list, name="list"),
    path("figures/<int:pk>/", views.extraction_detail, name="detail"),
    path("figures/candidates/<int:pk>/accept/", views.accept, name="accept"),
    path("figures/candidates/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("figures/candidates/<int:pk>/reopen/", views.reopen, name="reopen"),
]
