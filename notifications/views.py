"""Each person switches each kind of optional mail on or off for themselves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from notifications.forms import OPTIONAL_KINDS, MailPreferencesForm
from notifications.services import opted_out_kinds, set_mail_preferences


@login_required
@require_http_methods(["GET", "POST"])
def mail_preferences(request):
    offered = [kind for kind, _label in OPTIONAL_KINDS]
    off = opted_out_kinds(request.user)
    form = MailPreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={"wanted": [kind for kind in offered if kind not in off]},
    )
    if request.method == "POST" and form.is_valid():
        set_mail_preferences(
            person=request.user, wanted=form.cleaned_data["wanted"], offered=offered
        )
        messages.success(request, _("Your e-mail settings have been saved."))
        return redirect("mail_preferences")
    return render(request, "notifications/mail_preferences.html", {"form": form})
