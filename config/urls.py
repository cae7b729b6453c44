from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.health import healthz

# At request time, not import time: a manifest storage resolves the hashed name only once collected.
static_lazy = lazy(static, str)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links; the icon is an SVG.
    path("favicon.ico", RedirectView.as_view(url=static_lazy("casualties/favicon.svg"), permanent=True)),
    path("api/", include("casualties.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # The dashboard last: its routes sit at the site root.
    path("", include("casualties.urls")),
]
