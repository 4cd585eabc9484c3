from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("campaigns/<slug:slug>/surveys/", views.questionnaire_list, name="list"),
    path("surveys/<int:pk>/", views.questionnaire_detail, name="detail"),
    path("surveys/<int:pk>/questions/", views.add_question, name="add_question"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/move/",
        views.move_question,
        name="move_question",
    ),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/remove/",
        views.remove_question,
        name="remove_question",
    ),
    path("surveys/<int:pk>/publish/", views.publish, name="publish"),
    path("surveys/<int:pk>/close/", views.close, name="close"),
    path("surveys/<int:pk>/settings/", views.update_settings, name="settings"),
    path("surveys/<int:pk>/qr.<str:kind>", views.qr_code, name="qr"),
    path("surveys/<int:pk>/entry/", views.offline_entry, name="entry"),
    path("surveys/<int:pk>/results/", views.results, name="results"),
    path("surveys/<int:pk>/answers.csv", views.export_csv, name="export_csv"),
    path("surveys/<int:pk>/answers.xlsx", views.export_xlsx, name="export_xlsx"),
    path("surveys/<int:pk>/texts/", views.texts, name="texts"),
    path("q/<uuid:token>/", views.answer, name="answer"),
]
