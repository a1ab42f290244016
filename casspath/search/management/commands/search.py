"""casspath search QUERY [--kind K] [--step CODE] [--dimension CODE] [--product CODE]
[--industry CODE] [--limit N] [--json] [--as USERNAME]; casspath search --rebuild"""

import json
import re

from django.core.management.base import BaseCommand, CommandError

from casspath.core.cli_actor import acting_user_from_option
from casspath.search import index, registry
from casspath.search.queries import search

MARK = re.compile(r"</?mark>")


# The filters' names in the help, Chinese first as every line of it.
FILTER_NAMES_ZH = {"step": "流程步骤", "dimension": "维度", "product": "产品", "industry": "行业"}


class Command(BaseCommand):
    help = (
        "全文搜索案例、产品、工作指引和问答卡，按相关度排序；--rebuild 重建索引。 "
        "Full-text search of cases, products, work guides and Q&A cards, best first; --rebuild "
        "builds the index again."
    )

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="*", metavar="QUERY", help="搜索词 (the words to find)")
        parser.add_argument(
            "--kind",
            action="append",
            choices=registry.kind_names(),
            help="只搜这一类，可重复 (only this kind; repeat for more)",
        )
        for name in registry.FILTERS:
            parser.add_argument(
                f"--{name}",
                metavar="CODE",
                help=f"按{FILTER_NAMES_ZH[name]}编码筛选 (only hits tagged with this {name} code)",
            )
        parser.add_argument("--limit", type=int, default=20, help="最多几条 (at most this many hits; 20)")
        parser.add_argument("--json", action="store_true", help='输出 JSON {"query", "hits"} (print JSON)')
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="以该用户身份（其可见范围）搜索 (search as this user, within his scope)",
        )
        parser.add_argument(
            "--rebuild", action="store_true", help="重建整个索引 (build the whole index again)"
        )

    def handle(self, *args, query, kind, limit, as_user, rebuild, **options):
        if rebuild:
            self._rebuild()
            return
        text = " ".join(query).strip()
        if not text:
            raise CommandError("请给出搜索词，或 --rebuild / give the words to find, or --rebuild")
        actor = acting_user_from_option(as_user)
        filters = {name: options.get(name) for name in registry.FILTERS}
        hits = search(actor, text, kinds=kind, filters=filters, limit=limit)
        if options["json"]:
            self.stdout.write(_json({"query": text, "hits": [hit.as_json() for hit in hits]}))
            return
        if not hits:
            self.stdout.write(f"没有找到 / nothing found: {text}")
            return
        for number, hit in enumerate(hits, 1):
            snippet = MARK.sub(lambda m: "]" if m.group().startswith("</") else "[", str(hit.snippet))
            self.stdout.write(f"{number:>2}. [{hit.kind}] {hit.code} {hit.title}  ({hit.score:.3f})")
            self.stdout.write(f"    {_unescape(snippet)}")

    def _rebuild(self) -> None:
        last: dict[str, int] = {}

        def progress(kind: str, done: int, total: int) -> None:
            step = max(1, total // 10)
            if done == total or done - last.get(kind, 0) >= step:
                last[kind] = done
                self.stdout.write(f"  … {kind}: {done:,}/{total:,}")

        counts = index.rebuild(progress)
        summary = ", ".join(f"{kind} {count:,}" for kind, count in counts.items())
        self.stdout.write(f"索引已重建 / index rebuilt: {summary}")


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)
