"""casspath pocketbook --out FILE.pdf [--preset NAME | --guides ID… --products CODE… --cards ID…]
[--map ID] [--as USERNAME]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from casspath.cass.access import access_map_by_id
from casspath.cass.models import CassMap
from casspath.core.cli_actor import acting_user_from_option
from casspath.knowledge import document
from casspath.knowledge.models import DEFAULT_PRESET, PocketBook
from casspath.knowledge.pocketbook_selection import PocketBookError, choose, default_map


class Command(BaseCommand):
    help = (
        "把工作指引、产品卡和问答卡打印成一本 A6 口袋书（封面、目录，中文字体嵌入）；不选择内容时打印"
        f"“{DEFAULT_PRESET}”（新人口袋书）预设。页面上的口袋书在后台生成，这里当场打印。 "
        "Print work guides, product cards and Q&A cards as an A6 pocket book (a cover, a table of "
        f"contents, the Chinese font embedded); with nothing chosen, the {DEFAULT_PRESET} preset. The "
        "pages print it in the background, this prints it now."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--preset", default="", metavar="NAME", help="预设：new_manager 或 family:<产品系列> (a preset)"
        )
        parser.add_argument(
            "--guides", nargs="*", metavar="ID", help="工作指引编号 (work guide ids, in order)"
        )
        parser.add_argument(
            "--products", nargs="*", metavar="CODE", help="产品编码 (product codes, in order)"
        )
        parser.add_argument(
            "--cards", nargs="*", metavar="ID", help="问答卡编号 (Q&A card resource ids, in order)"
        )
        parser.add_argument(
            "--map", dest="map_id", metavar="ID", help="CASS 地图编号 (the map; its default: yours)"
        )
        parser.add_argument("--title", default="", help="标题 (the title; the preset's by default)")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="以该用户身份（其可见范围）打印 (print as this user, within his scope)",
        )
        parser.add_argument(
            "--out", required=True, metavar="FILE", help="输出的 .pdf 文件 (the .pdf file to write)"
        )

    def handle(self, *args, preset, guides, products, cards, map_id, title, as_user, out, **options):
        actor = acting_user_from_option(as_user)
        path = Path(out)
        if path.suffix.lower() != ".pdf":
            raise CommandError(f"输出文件须为 .pdf / the output file must end in .pdf: {out}")
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在 / no such folder: {path.parent}")
        cass_map: CassMap | None
        if map_id is not None:
            try:
                cass_map = access_map_by_id(actor, map_id)
            except Http404:
                raise CommandError(
                    f"没有这个 CASS 地图，或无权查看 / no such CASS map, or one you may not see: {map_id}"
                ) from None
        else:
            cass_map = default_map(actor)
            if cass_map is None:
                raise CommandError("没有可查看的 CASS 地图 / no CASS map you may read")
        picked = guides is not None or products is not None or cards is not None
        try:
            selection = choose(
                cass_map,
                actor,
                preset=preset,
                guide_ids=guides or (),
                product_codes=products or (),
                card_ids=cards or (),
                picked=picked,
            )
        except PocketBookError as refused:
            raise CommandError(refused.both()) from None
        book = PocketBook(
            cass_map=cass_map, title=title.strip() or selection.title or "口袋书", preset=selection.preset
        )
        total = selection.count

        def report(n: int) -> None:
            self.stdout.write(f"  {n}/{total}")

        self.stdout.write(f"{book.title}（{cass_map.name}）：{total} 项 / {total} items")
        path.write_bytes(document.print_pdf(document.pocketbook_html(book, selection, on_item=report)))
        guides, products, cards = len(selection.guides), len(selection.products), len(selection.cards)
        self.stdout.write(
            f"工作指引 {guides}、产品 {products}、问答卡 {cards}，已写入 / "
            f"{guides} guides, {products} products, {cards} Q&A cards, written to {path}"
        )
