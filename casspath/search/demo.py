"""search's part of the demo: the index rebuilt from what every other part wrote (it runs
last: `runs_last`). The parts' actions queue their documents for the commit anyway; the
bulk inserts of the big demos send no signals, so the rebuild is what makes the index whole.
It writes no row the demo counts: a second run of the same seed still reports nothing new."""

from casspath.core.demo import DemoPart, DemoRun
from casspath.search import index


class SearchPart(DemoPart):
    runs_last = True

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def build(self, run: DemoRun) -> dict[str, int]:
        def progress(kind: str, done: int, total: int) -> None:
            run.progress(f"search index: {kind}", done, total)

        self.counts = index.rebuild(progress)
        return {}

    def describe(self, run: DemoRun) -> list[str]:
        if not self.counts:
            return []
        summary = ", ".join(f"{kind} {count:,}" for kind, count in self.counts.items())
        return [f"搜索索引 / search index: {summary}"]


part = SearchPart()
