import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django_otp import login as otp_login

from .forms import SignInForm


class SignInView(auth_views.LoginView):
    """Username, password and authenticator code; then to ``next`` (if safe) or home."""

    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def form_valid(self, form):
        response = super().form_valid(form)  # auth.login(); UserSession tracked by signals
        otp_login(self.request, form.device)
        now = time.time()
        self.request.session["signed_in_at"] = now
        self.request.session["last_seen_at"] = now
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            timed_out=self.request.GET.get("timed_out") == "1", **kwargs
        )


login = SignInView.as_view()


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET); back to the sign-in page."""

    next_page = "accounts:login"

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        return response


logout = SignOutView.as_view()
