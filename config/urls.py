"""Root URL configuration: the public website (``public.urls``), the read API (``/api/v1/``,
``public.api.urls``), the staff's admin with its password resets, the language switch and
the health check. The public URLs are documented in the README: keep them stable."""

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
    path("", include("public.urls")),
    path("api/v1/", include("public.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    *(path(route, view.as_view(), name=name) for route, view, name in password_reset_urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
