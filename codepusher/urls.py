"""Root URLs. API resources live under /api/, WebSockets in codepusher/routing.py."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from codepusher import accounts, views
from execution.language_apis import LanguageListApi

api_patterns = [
    path("", include("challenges.api_urls")),
    path("", include("sessions_app.api_urls")),
    path("", include("execution.api_urls")),
    path("", include("chat.api_urls")),
    path("", include("search.api_urls")),
    path("languages/", LanguageListApi.as_view(), name="language-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/profile/", views.profile, name="profile"),
    path("challenges/", include("challenges.urls")),
    path("s/", include("sessions_app.urls")),
    path("api/", include(api_patterns)),
]
