"""casspath export KIND FILE [--filter NAME=VALUE] [--as USERNAME]: .xlsx or .csv by the
file's extension; filters are the importer's own (cass: unit=GZ, family=default)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from casspath.core.cli_actor import acting_user_from_option
from casspath.imports import registry
from casspath.imports.actions import do_export
from casspath.imports.errors import ImportFileError


class Command(BaseCommand):
    help = "Export data in an import's own columns (so the file re-imports unchanged)."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="what to export, e.g. roster")
        parser.add_argument("file", help="the file to write: .xlsx or .csv")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="act as this user: only what he may export (default: the system actor)",
        )
        parser.add_argument(
            "--filter",
            dest="filters",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="narrow what is exported (repeatable), as the kind allows, e.g. cass: unit=GZ",
        )

    def handle(self, *args, kind, file, as_user, filters, **options):
        actor = acting_user_from_option(as_user)
        given = {}
        for word in filters:
            name, has_value, value = word.partition("=")
            if not has_value or not name.strip():
                raise CommandError(f"筛选条件应写成 NAME=VALUE / a filter is NAME=VALUE: {word}")
            given[name.strip()] = value.strip()
        try:
            data = do_export(kind, file, acting_user=actor, filters=given)
        except registry.UnknownKind:
            raise CommandError(f"未知的类型 / unknown kind: {kind}") from None
        except PermissionDenied:
            raise CommandError(f"{as_user} 无权导出 / {as_user} may not export {kind}") from None
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        Path(file).write_bytes(data)
        self.stdout.write(f"已导出 / exported {kind} → {file} ({len(data)} bytes)")
