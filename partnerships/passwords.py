"""Choosing a password by e-mail: a forgotten one, or the very first one.

Someone whose account was made by an import, or by the admin without a password,
has no usable password. Django's reset form sends such people nothing, so they
could never get in; this form sends them a mail to choose their first password.
Deactivated accounts get no mail at all, and the page that follows says the
same whatever address was typed: it never tells whether an account exists.
"""

from django.contrib.auth.forms import PasswordResetForm

from partnerships.models import User, normalise_email

FIRST_PASSWORD_SUBJECT = "registration/first_password_subject.txt"
FIRST_PASSWORD_EMAIL = "registration/first_password_email.html"


class PasswordMailForm(PasswordResetForm):
    """Django's password reset form, which also reaches people without a password yet."""

    def get_users(self, email):
        email = normalise_email(email)
        active = User._default_manager.filter(email__iexact=email, is_active=True)
        # The mail goes to the stored address, so it must be the typed one exactly.
        return [person for person in active if normalise_email(person.email) == email]

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        if not context["user"].has_usable_password():
            subject_template_name = FIRST_PASSWORD_SUBJECT
            email_template_name = FIRST_PASSWORD_EMAIL
        super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
