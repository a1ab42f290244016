"""The `casspath` console command: Django's manage.py under the product's name.

    casspath demo [--managers N] [--seed S]
    casspath import org|roster|competency FILE [--dry-run] [--as USERNAME]
    casspath export roster|competency FILE
    casspath diagnose [--from 2026-01 --to 2026-05] [--org CODE] --out FILE.json|.xlsx|.html|.pdf [--out ...]
    casspath diagnose --snapshot ID --out FILE [--out ...]
    casspath search QUERY [--kind case|product|guide|card] [--step CODE] [--json] [--as USERNAME]
    casspath search --rebuild
    casspath migrate, runserver, run_huey, ... (Django's own commands)

`casspath`, `casspath -h` and `casspath help` list the product's own commands first, each
with its one line of help (Django's list names forty commands by app, ours among them
unmarked); `casspath help --commands` and `casspath help COMMAND` stay Django's.
"""

import os
import sys
from pathlib import Path

HELP_ASKED: tuple[list[str], ...] = (["help"], ["-h"], ["--help"], [])


def main(argv: list[str] | None = None) -> None:
    argv = list(argv if argv is not None else sys.argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casspath.settings")
    if argv[1:] in HELP_ASKED:
        print(product_help(os.path.basename(argv[0]) or "casspath"))
        return
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    # migrate builds the tables: its own failure is shown as it is, and the file it writes kept.
    new_file = _sqlite_file_absent()
    guided = argv[1:2] != ["migrate"]
    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        # Ctrl-C while a command starts or works (migrate, demo, runserver loading Django):
        # the shell's usual status, without a traceback through whatever was importing.
        sys.exit(130)
    except DatabaseError:
        # Any command, in this one place: a database never migrated (a fresh shell, another
        # DATABASE_URL) is a step to take, not a traceback about a missing table.
        where = _database_without_tables() if guided else None
        if where is None:
            raise
        if new_file is not None:
            # The file SQLite made on connecting, with nothing in it: not left behind as if
            # it were a database.
            from django.db import connection

            connection.close()
            for made in (new_file, Path(f"{new_file}-wal"), Path(f"{new_file}-shm")):
                made.unlink(missing_ok=True)
        print(f"数据库 {where} 还没有建表：请先运行 `casspath migrate`"
              f"（或 `make demo`，建表并生成演示数据）。\n"
              f"The database {where} has no tables yet: run `casspath migrate` first (or `make demo`, "
              f"which creates them and the demo data).", file=sys.stderr)
        sys.exit(1)


def _sqlite_file_absent() -> Path | None:
    """The SQLite database's file when it does not exist yet (connecting creates it empty)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database["ENGINE"] != "django.db.backends.sqlite3" or not name or name.startswith((":memory:",
                                                                                            "file:")):
        return None
    path = Path(name)
    return None if path.exists() else path


def _database_without_tables() -> str | None:
    """The database's name when it lacks the product's tables (never migrated), else None."""
    from django.db import DatabaseError, connection

    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError:
        return None
    if {"django_migrations", "org_orgunit"} <= tables:
        return None
    return str(connection.settings_dict.get("NAME") or "")


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
