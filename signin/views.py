"""Sign-in additions: the second factor for staff, the sign-in link by e-mail."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from sesame.utils import get_query_string

from partnerships.models import normalise_email
from signin import limits, two_factor
from signin.forms import EmailLinkForm, TokenForm
from sms_tool.errors import DomainError, show_in_form


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404
    device = two_factor.pending_device(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.confirm_device(
                request=request, device=device, token=form.cleaned_data["token"]
            )
        except DomainError as error:
            show_in_form(form, error)
        else:
            return redirect("two_factor_backup_codes")
    return render(
        request,
        "signin/two_factor_setup.html",
        {"form": form, "qr": two_factor.qr_data_uri(device), "key": device.key},
    )


@require_http_methods(["GET", "POST"])
def email_link(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link. The answer is the same for every address (no enumeration)."""
    form = EmailLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = normalise_email(form.cleaned_data["email"])
        if limits.too_many_link_requests(request, email):
            form.add_error(
                None,
                _(
                    "Too many sign-in links were asked for from here or for this address. "
                    "Wait %(minutes)d minutes and try again, or use the link you received."
                )
                % {"minutes": settings.SIGN_IN_LINK_WINDOW_MINUTES},
            )
            return render(request, "signin/email_link.html", {"form": form}, status=429)
        person = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if person is not None:
            link = request.build_absolute_uri(reverse("email_link_signin")) + get_query_string(
                person
            )
            context = {"link": link, "minutes": settings.SESAME_MAX_AGE // 60, "person": person}
            send_mail(
                _("Your sign-in link for the SMS-tool"),
                render_to_string("signin/email_link_email.txt", context),
                None,
                [person.email],
            )
        return render(
            request, "signin/email_link_sent.html", {"minutes": settings.SESAME_MAX_AGE // 60}
        )
    return render(request, "signin/email_link.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """Make backup codes for the second factor; they are shown once, in this answer."""
    if not request.user.is_staff:
        raise Http404
    if not request.user.is_verified():  # type: ignore[union-attr,attr-defined]
        # Only with the second factor at hand: the admin's sign-in asks for it, then back here.
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    codes = two_factor.make_backup_codes(person=request.user) if request.method == "POST" else []
    return render(
        request,
        "signin/backup_codes.html",
        {"codes": codes, "left": two_factor.backup_codes_left(request.user)},
    )
