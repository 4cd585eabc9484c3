from django.urls import path

from . import public_views, views

app_name = "submissions"
urlpatterns = [
    # The public, without signing in.
    path("report/", public_views.open_campaigns, name="public_campaigns"),
    path("report/<slug:slug>/", public_views.public_report, name="public_report"),
    path("track/", public_views.track_lookup, name="track_lookup"),
    path("track/<str:code>/", public_views.track, name="track"),
    # Deputies: 我的建议.
    path("suggestions/", views.my_suggestions, name="mine"),
    path("suggestions/<int:pk>/", views.my_suggestion, name="my_detail"),
    path(
        "campaigns/<slug:slug>/suggestions/new/", views.suggestion_create, name="suggestion_create"
    ),
    # The campaign's staff.
    path("campaigns/<slug:slug>/submissions/", views.submission_list, name="list"),
    path(
        "campaigns/<slug:slug>/submissions/public-reporting/",
        views.public_reporting,
        name="public_reporting",
    ),
    path("submissions/<int:pk>/", views.submission_detail, name="detail"),
    path("campaigns/<slug:slug>/livelihood/", views.livelihood, name="livelihood"),
    path("campaigns/<slug:slug>/livelihood/new/", views.project_create, name="project_create"),
    path("livelihood/<int:pk>/", views.project_detail, name="project"),
]
