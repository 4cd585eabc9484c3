from django.urls import include, path

from . import views

app_name = "indicators"
urlpatterns = [
    # The facility registry's pages: an app of their own, routed from here.
    path("", include("oversight.facilities.urls")),
    path("campaigns/<slug:slug>/indicators/", views.for_campaign, name="campaign"),
    path("indicators/<slug:topic>/import/<slug:kind>/", views.import_upload, name="import"),
    path(
        "indicators/<slug:topic>/import/<slug:kind>/confirm/",
        views.import_confirm,
        name="import_confirm",
    ),
    path("indicators/<slug:topic>/imports/<int:pk>/", views.import_job, name="import_job"),
    path(
        "indicators/<slug:topic>/imports/<int:pk>/confirm/",
        views.import_job_confirm,
        name="import_job_confirm",
    ),
    path(
        "indicators/<slug:topic>/import/<slug:kind>/template.xlsx",
        views.import_template,
        name="template",
    ),
    path("indicators/<slug:topic>/<str:code>/", views.compliance, name="compliance"),
    path("indicators/<slug:topic>/<str:code>/value/", views.enter_value, name="value"),
    path(
        "indicators/<slug:topic>/<str:code>/shortfall/",
        views.raise_shortfall,
        name="shortfall",
    ),
]
