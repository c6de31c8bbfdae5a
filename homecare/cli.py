"""The `homecare` command: Django's manage.py for this project.

homecare demo [--no-serve] [--size small|county] [--seed N]
homecare otp USERNAME          # the current sign-in code of a demo account
homecare <any manage.py command>
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["homecare", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
