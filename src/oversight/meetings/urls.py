from django.urls import path

from . import entry_views, views

app_name = "meetings"
urlpatterns = [
    path("campaigns/<slug:slug>/meetings/", views.meeting_list, name="list"),
    path("campaigns/<slug:slug>/meetings/new/", views.meeting_create, name="create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("meetings/attachments/<int:pk>/", views.meeting_attachment, name="attachment"),
    path("campaigns/<slug:slug>/inquiries/new/", entry_views.inquiry_create, name="inquiry_create"),
    path("inquiries/<int:pk>/", views.inquiry_detail, name="inquiry"),
    path("inquiries/<int:pk>/respondents/new/", entry_views.respondent_add, name="respondent_add"),
    path("inquiries/<int:pk>/questions/new/", entry_views.question_add, name="question_add"),
    path("inquiries/questions/<int:pk>/edit/", entry_views.question_edit, name="question_edit"),
    path(
        "inquiries/questions/<int:pk>/to-problem/",
        views.question_to_problem,
        name="question_to_problem",
    ),
    path("campaigns/<slug:slug>/opinions/", views.opinion_list, name="opinions"),
    path("campaigns/<slug:slug>/opinions/new/", entry_views.opinion_create, name="opinion_create"),
    path("campaigns/<slug:slug>/opinion-items/", views.item_list, name="items"),
    path("opinions/<int:pk>/", views.opinion_detail, name="opinion"),
    path("opinions/<int:pk>/items/new/", entry_views.item_add, name="item_add"),
    path("opinion-items/", views.my_items, name="my_items"),
    path("opinion-items/<int:pk>/", views.item_detail, name="item"),
    path("opinion-items/<int:pk>/edit/", entry_views.item_edit, name="item_edit"),
    path("opinion-items/<int:pk>/answer/", views.item_answer, name="answer"),
    path("opinion-items/<int:pk>/review/", views.item_review, name="review"),
    path("opinion-items/evidence/<int:pk>/", views.evidence, name="evidence"),
]
