from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accord.accounts.views import set_language
from accord.api import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:dashboard", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="api-docs"),
    path("accounts/", include("accord.accounts.urls")),
    path("organisations/", include("accord.organisations.urls")),
    path("partnerships/", include("accord.partnerships.urls")),
    path("exchanges/", include("accord.exchanges.urls")),
    path("agreements/", include("accord.agreements.urls")),
    path("jobs/", include("accord.core.urls")),
    path("ewp/", include("accord.ewp.urls")),
    path("mobilities/", include("accord.mobilities.urls")),
    path("bips/", include("accord.bips.urls")),
    path("surveys/", include("accord.surveys.urls")),
    path("funding/", include("accord.funding.urls")),
    path("virtual-exchange/", include("accord.virtual_exchange.urls")),
    path("courses/", include("accord.courses.urls")),
    path("discovery/", include("accord.discovery.urls")),
    path("evaluation/", include("accord.evaluation.urls")),
    # Before Django's own: the switch also saves a signed-in user's choice.
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.DEBUG:
    # Only logos are public; attachments and applicants' documents are served by views that check
    # who asks, so the development server must not hand them out by path either.
    urlpatterns += static(f"{settings.MEDIA_URL}logos/", document_root=settings.MEDIA_ROOT / "logos")
