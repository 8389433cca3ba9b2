#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sms_tool.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    from sms_tool.env import SettingsError

    try:
        # Load settings here: Django's command runner would otherwise swallow a
        # configuration error and fail later with an unrelated traceback.
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018
        execute_from_command_line(sys.argv)
    except SettingsError as error:
        # One readable line instead of a traceback: the message says what to fix.
        sys.stderr.write(f"Configuration error: {error}\n")
        sys.exit(1)
    except OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        sys.stderr.write(
            f"Database error: {first_line}\n"
            "Check DATABASE_URL and that the database server is running.\n"
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
