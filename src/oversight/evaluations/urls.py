from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("campaigns/<slug:slug>/evaluations/", views.session_list, name="list"),
    path("campaigns/<slug:slug>/evaluations/new/", views.session_new, name="new"),
    path("evaluations/<int:pk>/", views.session_detail, name="detail"),
    path("evaluations/<int:pk>/turnout/", views.session_turnout, name="turnout"),
    path("evaluations/<int:pk>/qr.svg", views.qr_code, name="qr"),
    path("evaluations/<int:pk>/vote/", views.vote, name="vote"),
    path("evaluations/<int:pk>/close/", views.close, name="close"),
    path("evaluations/<int:pk>/result/", views.result, name="result"),
    path("evaluations/<int:pk>/result.xlsx", views.export, name="export"),
]
