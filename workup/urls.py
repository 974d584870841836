from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from health_check.views import HealthCheckView

from workup.accounts import views as account_views
from workup.knowledge import views as knowledge_views
from workup.site import health, views


class FaviconView(RedirectView):
    # Temporary: in production the icon's name carries its hash (favicon.<hash>.svg), and a
    # permanent redirect would keep browsers asking for an old one after the icon changes.
    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")  # at request time: the manifest exists by then


urlpatterns = [
    path("", views.home, name="home"),
    # browsers ask for /favicon.ico on every site, the admin's pages included
    path("favicon.ico", login_not_required(FaviconView.as_view())),
    path("knowledge-base/", knowledge_views.knowledge_base_page, name="knowledge_base"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/api-token/", account_views.api_token, name="api_token"),
    path("api/", include("workup.api.urls")),
    path("admin/", admin.site.urls),
    path(
        "health/", login_not_required(HealthCheckView.as_view(checks=health.CHECKS)), name="health"
    ),
    path("", include("workup.clinic.urls")),
    path("", include("workup.documents.urls")),
    path("", include("workup.worklist.urls")),
]
