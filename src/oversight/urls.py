from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.urls import include, path
from django.views.i18n import set_language

from oversight.campaigns.views import home
from oversight.utilities.ratelimits import rate_limited

sign_in = rate_limited(
    lambda group, request: settings.LOGIN_RATE, user_key="post:username", method="POST"
)

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", sign_in(LoginView.as_view()), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("campaigns/", include("oversight.campaigns.urls")),
    path("audit/", include("oversight.audit.urls")),
    path("", include("oversight.problems.urls")),
    path("", include("oversight.evaluations.urls")),
    path("", include("oversight.meetings.urls")),
    path("", include("oversight.indicators.urls")),
    path("", include("oversight.followups.urls")),
    path("", include("oversight.surveys.urls")),
    path("", include("oversight.submissions.urls")),
    path("", include("oversight.merging.urls")),
    path("", include("oversight.documents.urls")),
    path("", include("oversight.ledgers.urls")),
    path("", include("oversight.figures.urls")),
    path("notifications/", include("oversight.notifications.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
