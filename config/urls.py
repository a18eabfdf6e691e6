"""Root URL configuration: the public website (``public.urls``, once per language: English
unprefixed, ``/az/…`` and ``/ar/…``), its files (``public.file_urls``), the read API
(``/api/v1/``, ``public.api.urls``), the staff's admin with its password resets and the
health check. The public URLs are documented in the README: keep them stable."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.health import healthz

#: Password resets for staff by e-mail; the admin's login page links to the first. The same
#: answer is given whether or not an account has the address.
password_reset_urls = [
    ("admin/password_reset/", auth_views.PasswordResetView, "admin_password_reset"),
    ("admin/password_reset/done/", auth_views.PasswordResetDoneView, "password_reset_done"),
    (
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView,
        "password_reset_confirm",
    ),
    ("admin/reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
]

urlpatterns = [
    path("", include("public.file_urls")),
    path("api/v1/", include("public.api.urls")),
    *(path(route, view.as_view(), name=name) for route, view, name in password_reset_urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

# Last, so that the fixed addresses above are never read as pages: a page's language is that
# of its address (config/locale.py), and a page links to itself in the other languages.
urlpatterns += i18n_patterns(path("", include("public.urls")), prefix_default_language=False)
