"""The admin action "Anonymise", added to the people page of ``partnerships``.

It lives here because anonymising reaches into the sessions app, which
``partnerships`` may not import.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from privacy.anonymise import anonymise_person
from sms_tool.errors import DomainError


@admin.action(description=_("Anonymise the selected people (cannot be undone)"))
def anonymise_selected(modeladmin, request, queryset):
    done = 0
    for person in queryset:
        if person.pk == request.user.pk:
            modeladmin.message_user(
                request, _("You cannot anonymise yourself here."), messages.ERROR
            )
            continue
        try:
            anonymise_person(person=person, by=request.user)
        except DomainError as error:
            modeladmin.message_user(request, f"{person.pk}: {error.message}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request, _("%(count)d people anonymised.") % {"count": done}, messages.SUCCESS
        )


people_admin = admin.site._registry[get_user_model()]
people_admin.actions = [*(people_admin.actions or []), anonymise_selected]
