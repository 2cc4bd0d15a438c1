"""The `tipims` command: the project's manage.py, with every Django and TIPIMS command.

TIPIMS's own commands: demo, keys, audit, compiletranslations (see `tipims help <command>`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipims.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
