from django.urls import path

from . import views

app_name = "problems"
urlpatterns = [
    path("workspace/", views.workspace, name="workspace"),
    path("campaigns/<slug:slug>/problems/", views.problem_list, name="list"),
    path("campaigns/<slug:slug>/intake/", views.intake, name="intake"),
    path("campaigns/<slug:slug>/intake/problems/", views.problem_lookup, name="lookup"),
    path("problems/<int:pk>/", views.problem_detail, name="detail"),
    path("problems/<int:pk>/assign/", views.assign, name="assign"),
    path("problems/<int:pk>/progress/", views.report_progress, name="progress"),
    path("problems/<int:pk>/claim/", views.claim_completion, name="claim"),
    path("problems/<int:pk>/review/", views.review, name="review"),
    path("problems/<int:pk>/reassign/", views.reassign, name="reassign"),
    path("problems/<int:pk>/extension/", views.request_extension, name="extend"),
    path("problems/<int:pk>/extension/decision/", views.decide_extension, name="decide"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
