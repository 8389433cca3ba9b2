"""The domain error every service raises, and how a form shows it."""

from django import forms
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A service refused a change; ``message`` tells the person why, in their language."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def show_in_form(form: forms.BaseForm, error: DomainError, *, aliases: dict | None = None) -> None:
    """Show ``error`` at its field when the form has it, else above the form.

    ``aliases`` maps a service's field name to the form field that stands for it
    (for example the second password box for "password").
    """
    field = (aliases or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def refuse_nul(*texts: str) -> None:
    """Raise a ``DomainError`` when a text holds a NUL character, which no database column stores.

    Django's form fields refuse NUL themselves; services that take text straight from a
    request call this so PostgreSQL never meets it (it would answer with a server error).
    """
    if any("\x00" in text for text in texts):
        raise DomainError(
            _("The text contains a NUL character, which cannot be stored. Nothing was saved.")
        )


def fits_an_id(number: int) -> bool:
    """Whether ``number`` fits a database id (64 bits); SQLite cannot even look up a larger one."""
    return -(2**63) <= number < 2**63
