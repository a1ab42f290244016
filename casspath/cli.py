"""The `casspath` console command: Django's manage.py under the product's name.

    casspath demo [--managers N] [--seed S]
    casspath import org|roster|competency FILE [--dry-run] [--as USERNAME]
    casspath export roster|competency FILE
    casspath migrate, runserver, run_huey, ... (Django's own commands)
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casspath.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
