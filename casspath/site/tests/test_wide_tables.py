"""Every table of every page sits in a `.table-responsive` wrapper: on a phone a table wider
than the screen scrolls sideways inside its card, never clipped off the page, and its cells
break between words only (static/casspath.css: one rule for all tables)."""

import re
from pathlib import Path

from django.conf import settings

import casspath

TEMPLATE_DIRS = [Path(casspath.__file__).parent, Path(settings.BASE_DIR) / "templates"]
TABLE = re.compile(r"<table\b")
# What may stand between the wrapper and its table: blanks and template tags ({% load %}, {% if %}).
WRAPPER_THEN_TABLE = re.compile(
    r'<div class="(?:[^"]* )?table-responsive(?: [^"]*)?">(?:\s|\{%[^%]*%\})*$')


def _templates():
    for root in TEMPLATE_DIRS:
        yield from (path for path in root.rglob("*.html") if ".venv" not in path.parts)


def _unwrapped(text: str) -> list[int]:
    return [text.count("\n", 0, table.start()) + 1 for table in TABLE.finditer(text)
            if not WRAPPER_THEN_TABLE.search(text[:table.start()])]


def test_it_finds_every_table_in_a_scrolling_wrapper():
    unwrapped = [f"{path}:{line}" for path in _templates() for line in _unwrapped(path.read_text())]
    assert unwrapped == []


def test_it_reads_wrapped_and_bare_tables_apart():
    assert _unwrapped('<div class="table-responsive">\n  <table class="table">') == []
    assert _unwrapped('<div class="table-responsive">{% if x %}<table class="table">') == []
    assert _unwrapped('<section class="card">\n<table class="table">') == [2]
    assert _unwrapped('<div class="table-responsive"><p>x</p><table class="table">') == [1]


def test_it_has_one_rule_for_the_cells_of_every_table():
    css = (Path(settings.BASE_DIR) / "static" / "casspath.css").read_text()
    assert ".table > :not(caption) > * > * { word-break: keep-all; }" in css
