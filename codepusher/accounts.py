"""Accounts: sign up, log in, log out, with safe `next` redirects and rate-limited attempts."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from codepusher.ratelimit import (
    RateLimited,
    client_ident,
    rate_get,
    rate_limit_check,
    rate_limit_hit,
)

TOO_MANY = 429


def next_url_safe(request: HttpRequest, default: str = "/") -> str:
    """The request's `next` (POST, then GET) if it stays on this site, else `default`.

    Every redirect to a caller-given address goes through here, so `?next=https://evil.example/`
    never sends anyone off the site.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(next_url_safe(request, "/"))
    form = SignupForm(request.POST or None)
    context = {"form": form, "next": next_url_safe(request, "")}
    if request.method == "POST":
        try:
            rate_limit_check(scope="signup.client", ident=client_ident(request), what="sign-ups")
        except RateLimited as exc:
            context.update(form=SignupForm(), limit_error=str(exc))
            return render(request, "registration/signup.html", context, status=TOO_MANY)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url_safe(request, "/"))
    return render(request, "registration/signup.html", context)


class LoginView(auth_views.LoginView):
    """Django's login (which already checks `next`), with failed attempts limited per client
    address and per username tried, so neither one address nor many addresses can guess a
    password; a classroom behind one address logging in for real is not slowed down."""

    def _limits(self, request: HttpRequest) -> list[tuple[str, str]]:
        username = str(request.POST.get("username", ""))[:150].lower()
        limits = [("login.client", client_ident(request))]
        return limits + [("login.username", username)] if username else limits

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            for scope, ident in self._limits(request):
                rate_limit_check(scope=scope, ident=ident, what="failed log-ins", record=False)
        except RateLimited as exc:
            # No password is checked while limited; the form comes back empty with the reason.
            context = self.get_context_data(form=self.form_class(request), limit_error=str(exc))
            return self.render_to_response(context, status=TOO_MANY)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        for scope, ident in self._limits(self.request):
            rate = rate_get(scope)
            if rate is not None:
                rate_limit_hit(scope=scope, ident=ident, rate=rate)
        return super().form_invalid(form)
