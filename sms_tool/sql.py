"""Names for the few queries written as SQL: the ones every page asks (the navigation,
a person's roles in a session), where building them through the ORM cost a
millisecond or more of Python for a fraction of that in the database.

Names come from the models, quoted for the database in use, so the SQL follows a
renamed table or column.
"""

from django.db import connection
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or not field.column:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return connection.ops.quote_name(field.column)


def pk(model: type[Model]) -> str:
    """The primary key's column."""
    return connection.ops.quote_name(model._meta.pk.column)
