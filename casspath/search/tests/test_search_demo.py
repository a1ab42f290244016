"""`casspath demo` ends with the search index rebuilt (search's part runs last): the demo's
guides and Q&A cards are found at once; a second run reports nothing new."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from casspath.site.demo import demo_parts


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_runs_the_search_part_after_every_other_part():
    labels = [label for label, _part in demo_parts()]
    assert labels[-1] == "search"
    assert labels.index("knowledge") < labels.index("search")


@pytest.mark.slow
@pytest.mark.django_db
def test_it_finds_the_demo_guides_and_cards_after_the_demo():
    output = _call("demo", "--managers", "30", "--seed", "3")
    assert "search index" in output
    hits = json.loads(_call("search", "专线", "--json"))["hits"]
    kinds = {hit["kind"] for hit in hits}
    assert "card" in kinds
    assert json.loads(_call("search", "开通申请", "--kind", "guide", "--json"))["hits"]
    again = _call("demo", "--managers", "30", "--seed", "3")
    assert "search index" in again
