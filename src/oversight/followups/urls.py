from django.urls import path

from . import views

app_name = "followups"
urlpatterns = [
    path("campaigns/<slug:slug>/follow-ups/", views.follow_up_list, name="list"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="detail"),
]
