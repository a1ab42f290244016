"""The `casspath` console command: Django's manage.py under the product's name.

    casspath demo [--managers N] [--seed S]
    casspath import org|roster|competency FILE [--dry-run] [--as USERNAME]
    casspath export roster|competency FILE
    casspath diagnose [--from 2026-01 --to 2026-05] [--org CODE] --out FILE.json|.xlsx|.html|.pdf [--out ...]
    casspath diagnose --snapshot ID --out FILE [--out ...]
    casspath migrate, runserver, run_huey, ... (Django's own commands)

`casspath`, `casspath -h` and `casspath help` list the product's own commands first, each
with its one line of help (Django's list names forty commands by app, ours among them
unmarked); `casspath help --commands` and `casspath help COMMAND` stay Django's.
"""

import os
import sys

HELP_ASKED: tuple[list[str], ...] = (["help"], ["-h"], ["--help"], [])


def main(argv: list[str] | None = None) -> None:
    argv = list(argv if argv is not None else sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casspath.settings")
    if argv[1:] in HELP_ASKED:
        print(product_help(os.path.basename(argv[0]) or "casspath"))
        return
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        # Ctrl-C while a command starts or works (migrate, demo, runserver loading Django):
        # the shell's usual status, without a traceback through whatever was importing.
        sys.exit(130)


def product_help(program: str) -> str:
    import django
    from django.core.management import get_commands, load_command_class

    django.setup()
    ours = sorted((name, app) for name, app in get_commands().items() if app.startswith("casspath."))
    width = max(len(name) for name, _app in ours)
    lines = [f"用法 Usage: {program} COMMAND [options]", "", "casspath 的命令 (casspath's commands):"]
    for name, app in ours:
        summary = " ".join(load_command_class(app, name).help.split())
        lines.append(f"  {name.ljust(width)}  {summary}")
    lines += [
        "",
        f"{program} help COMMAND       一个命令的全部选项 (one command's options)",
        f"{program} help --commands    连同 Django 的命令 (every command, Django's too:",
        "                            migrate, runserver, run_huey, ...)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
