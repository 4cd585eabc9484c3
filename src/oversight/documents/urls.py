from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("campaigns/<slug:slug>/documents/", views.document_list, name="list"),
    path("campaigns/<slug:slug>/documents/bulletin/", views.bulletin_new, name="new_bulletin"),
    path("campaigns/<slug:slug>/documents/notice/", views.notice_new, name="new_notice"),
    path("documents/<int:pk>/", views.document_detail, name="detail"),
    path("documents/<int:pk>/issue/", views.document_issue, name="issue"),
    path("documents/<int:pk>/document.docx", views.document_docx, name="docx"),
    path("documents/<int:pk>/document.pdf", views.document_pdf, name="pdf"),
]
