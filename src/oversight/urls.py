from django.contrib import admin
from django.urls import include, path

from oversight.campaigns.views import home

admin.site.site_header = "养老服务联动监督平台 · 管理后台"
admin.site.site_title = "联动监督管理后台"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("campaigns/", include("oversight.campaigns.urls")),
    path("", include("oversight.problems.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
