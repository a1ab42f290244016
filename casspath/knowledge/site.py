"""What the knowledge app adds to the site: the menu entries of the work guides, the process
map, product courses and the product map (see casspath/core/parts.py), for everyone logged in
(all are scoped by the maps), the case library (案例地图) and pocket books (口袋书); and the
home card of cases that wait for the user: his own returned for changes, those he reviews."""

from datetime import date

from django.utils.translation import pgettext_lazy

from casspath.core.parts import HomeCard, MenuEntry
from casspath.knowledge import queries


def _logged_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


MENU = [
    MenuEntry(
        pgettext_lazy("work guide", "Work guides"), "knowledge:guides", _logged_in, order=45, group="learning"
    ),
    MenuEntry(
        pgettext_lazy("process map", "Process map"),
        "knowledge:process_home",
        _logged_in,
        order=46,
        group="maps",
    ),
    # The case map right after the process map: cases hang on its steps.
    MenuEntry(pgettext_lazy("case", "Case map"), "knowledge:cases", _logged_in, order=46, group="maps"),
    MenuEntry(
        pgettext_lazy("product map", "Product map"),
        "knowledge:products_home",
        _logged_in,
        order=47,
        group="maps",
    ),
    MenuEntry(
        pgettext_lazy("course", "Product skill courses"),
        "knowledge:courses",
        _logged_in,
        order=47,
        group="learning",
    ),
    MenuEntry(
        pgettext_lazy("pocket book", "Pocket book"),
        "knowledge:pocketbooks",
        _logged_in,
        order=49,
        group="learning",
    ),
]


def cases_waiting(user, today: date) -> dict | None:
    """An author sees his cases a reviewer returned (he would not know otherwise); a
    consultant the cases waiting for his review, the longest waiting first. Left out when
    nothing waits."""
    returned = queries.my_returned_cases(user)
    queue = queries.review_queue(user)
    waiting = list(queue[:5])
    if not returned and not waiting:
        return None
    return {"returned": returned, "waiting": waiting, "waiting_count": queue.count() if waiting else 0}


HOME_CARDS = [HomeCard("cases", "knowledge/home/cases.html", cases_waiting, order=26)]
