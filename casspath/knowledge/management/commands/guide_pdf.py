"""casspath guide_pdf ID [--size A5|A4] [--as USERNAME] --out FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from casspath.core.cli_actor import acting_user_from_option
from casspath.knowledge import document
from casspath.knowledge.access import access_guide_by_id
from casspath.knowledge.models import GuidePdf
from casspath.knowledge.queries import steps_of


class Command(BaseCommand):
    help = (
        "把一份工作指引打印成 PDF 文件（封面和各步骤，含图片，中文字体嵌入）；页面上的 PDF 在后台生成，"
        "这里当场打印。 Print a work guide to a PDF file (a cover and its steps, with images and the "
        "Chinese font embedded); the pages print it in the background, this prints it now."
    )

    def add_arguments(self, parser):
        parser.add_argument("guide", type=int, metavar="ID", help="工作指引编号 (the guide's id)")
        parser.add_argument(
            "--size",
            choices=GuidePdf.PageSize.values,
            default=GuidePdf.PageSize.A5,
            help="纸张大小 (page size; A5 by default, a pocket book)",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="以该用户身份（其可见范围）打印 (print as this user, within his scope)",
        )
        parser.add_argument(
            "--out", required=True, metavar="FILE", help="输出的 .pdf 文件 (the .pdf file to write)"
        )

    def handle(self, *args, guide, size, as_user, out, **options):
        actor = acting_user_from_option(as_user)
        path = Path(out)
        if path.suffix.lower() != ".pdf":
            raise CommandError(f"输出文件须为 .pdf / the output file must end in .pdf: {out}")
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在 / no such folder: {path.parent}")
        try:
            found = access_guide_by_id(actor, guide)
        except Http404:
            raise CommandError(
                f"没有这份工作指引，或无权查看 / no such work guide, or one you may not see: {guide}"
            ) from None
        steps = steps_of(found)
        path.write_bytes(document.print_pdf(document.html(found, steps, page_size=size)))
        self.stdout.write(f"{found.title}：{len(steps)} 步，已写入 / {len(steps)} steps, written to {path}")
