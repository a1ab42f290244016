"""casspath import KIND FILE [--dry-run] [--deactivate-missing] [--option NAME] [--as USERNAME]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casspath.core.cli_actor import acting_user_from_option
from casspath.imports import registry
from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.framework import may_import, parse_option_words
from casspath.imports.report import ImportReport


class Command(BaseCommand):
    help = "Import a file (.xlsx or .csv): org, roster, or any registered kind. Exits 1 on a bad file."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="what the file holds: " + ", ".join(registry.kinds()))
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="roster: mark active employees of the file's units absent from it as left",
        )
        parser.add_argument(
            "--option",
            dest="switches",
            action="append",
            default=[],
            metavar="NAME[=VALUE]",
            help="one of the kind's options (repeatable): a switch, e.g. competency: as_draft, "
            "or a value, e.g. cass: unit=GZ",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="act as this user, within his scope (default: the system actor)",
        )

    def handle(self, *args, kind, file, dry_run, deactivate_missing, switches, as_user, **options):
        try:
            importer = registry.get(kind)
        except registry.UnknownKind:
            raise CommandError(
                f"未知的导入类型 / unknown import kind: {kind} (known: {', '.join(registry.kinds())})"
            ) from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 / no such file: {file}")
        declared = [option.name + ("=VALUE" if option.takes_value else "") for option in importer.options]
        given, unknown = parse_option_words(importer, switches)
        if unknown:
            raise CommandError(
                f"未知的选项 / unknown option for {kind}: {', '.join(unknown)} "
                f"(known: {', '.join(declared) or '-'})"
            )
        actor = acting_user_from_option(as_user)
        if not may_import(actor, importer):
            raise CommandError(f"{as_user} 没有导入权限 / {as_user} may not import {kind}")
        run = do_create_import_run(
            kind,
            path.name,
            path.read_bytes(),
            dry_run=dry_run,
            options={"deactivate_missing": deactivate_missing} | given,
            acting_user=actor,
        )
        verbosity = options.get("verbosity", 1)
        shown = {"phase": ""}

        def progress(phase: str, done: int, total: int) -> None:
            if verbosity < 1 or not total:
                return
            if phase != shown["phase"] or done == total or done % 20000 == 0:
                self.stderr.write(f"{phase}: {done}/{total}")
                shown["phase"] = phase

        executed = do_execute_import_run(run.pk, progress=progress)
        # Created above and run here, in this process: no worker claims it, and it ends with a report.
        assert executed is not None and executed.report is not None
        report = ImportReport.from_dict(executed.report)
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(
                f"导入失败，未写入任何数据（{report.error_count} 个错误）/ import failed, nothing written "
                f"({report.error_count} errors, run {run.pk})",
                returncode=1,
            )
        self.stdout.write(
            (
                "试运行完成，未写入数据 / dry run done, nothing written"
                if report.dry_run
                else "导入完成 / import done"
            )
            + f" (run {run.pk})"
        )
        sys.stdout.flush()
