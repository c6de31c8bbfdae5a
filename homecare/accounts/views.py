import time
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django_otp import login as otp_login

from . import services
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


def enrol(request, token):
    """A new starter links their authenticator app from the one-time link their
    manager sent: scan the code, type the 6 digits, then sign in as usual."""
    try:
        device = services.enrolment_device(token)
    except ValidationError as exc:
        return render(request, "accounts/enrol.html", {"problem": exc.messages[0]}, status=404)
    error = None
    if request.method == "POST":
        try:
            services.enrolment_confirm(token=token, code=request.POST.get("code", ""))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, "Your authenticator app is linked. Sign in with it now.")
            return redirect("accounts:login")
    qr = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return render(
        request,
        "accounts/enrol.html",
        {
            "username": device.user.username,
            "qr": mark_safe(qr.to_string(encoding="unicode")),  # our own SVG, no user input
            "secret": b32encode(device.bin_key).decode(),
            "error": error,
        },
    )
