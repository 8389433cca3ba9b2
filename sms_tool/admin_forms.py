"""Admin forms whose refusals read as sentences.

Before the admin saves a row, Django's model validation checks every constraint
of the model (``Model.validate_constraints``), so a duplicate is refused in the
form instead of reaching the database. For a unique constraint on fields, its
message is a sentence ("Membership with this Person and Organisation already
exists."). For a check constraint, or a unique constraint on an expression such
as ``Lower("name")``, Django can only name it ("Constraint
“organisation_name_unique_ci” is violated."), unless the model gives a
``violation_error_message``. An admin form's ``constraint_messages`` gives the
sentence to show instead, by constraint name, without changing the models (a
new message on a model's constraint would need a migration).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise


def default_constraint_messages(model):
    """{constraint name: the message Django shows today} for each constraint that only names itself."""
    found = {}
    for constraint in model._meta.constraints:
        if getattr(constraint, "fields", None):
            continue  # a unique constraint on fields: Django says which fields
        if constraint.violation_error_message != constraint.default_violation_error_message:
            continue  # the model already says it in words
        found[constraint.name] = constraint.get_violation_error_message()
    return found


class ReadableConstraintsForm(forms.ModelForm):
    """A model form for the admin that says in words which constraint a change breaks."""

    constraint_messages: dict[str, str | Promise] = {}

    def add_error(self, field, error):
        if isinstance(error, ValidationError):
            readable = {
                message: self.constraint_messages[name]
                for name, message in default_constraint_messages(self._meta.model).items()
                if name in self.constraint_messages
            }
            for problem in _problems(error):
                problem.message = readable.get(problem.message, problem.message)
        super().add_error(field, error)


def _problems(error):
    """The single ValidationErrors inside ``error``, whether it holds a list or a dict."""
    if hasattr(error, "error_dict"):
        return [problem for problems in error.error_dict.values() for problem in problems]
    return error.error_list
