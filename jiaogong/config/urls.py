from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from jiaogong.core.views_ops import healthz


class Favicon(RedirectView):
    """Browsers and bookmarks ask for /favicon.ico whatever the page says: the app's icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("jiaogong/favicon.svg")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", Favicon.as_view()),
    path("admin/", admin.site.urls),
    path("api/v1/", include("jiaogong.api.urls")),
    path("accounts/", include("jiaogong.accounts.urls")),
    path("", include("jiaogong.core.urls")),
    path("", include("jiaogong.members.urls")),
    path("", include("jiaogong.congress.urls")),
    path("", include("jiaogong.funds.urls")),
    path("", include("jiaogong.donations.urls")),
    path("", include("jiaogong.welfare.urls")),
    path("", include("jiaogong.hardship.urls")),
    path("", include("jiaogong.notifications.urls")),
    path("", include("jiaogong.rights.urls")),
    path("", include("jiaogong.checkups.urls")),
    path("", include("jiaogong.mutual_aid.urls")),
    path("", include("jiaogong.recuperation.urls")),
    path("", include("jiaogong.activities.urls")),
    path("", include("jiaogong.plans.urls")),
    path("", include("jiaogong.competitions.urls")),
    path("", include("jiaogong.clubs.urls")),
    path("", include("jiaogong.study.urls")),
    path("", include("jiaogong.reports.urls")),
]
