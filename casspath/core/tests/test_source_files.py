"""The shipped files hold no unresolved merge: a conflict left in a template renders its
markers to every user (git leaves them as text, and no parser of a template refuses them)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ("casspath", "static", "docs")
SUFFIXES = {".py", ".html", ".js", ".css", ".po", ".md", ".txt", ".toml", ".cfg"}
MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.M)


def test_it_ships_no_merge_conflict_markers():
    found = [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}"
             for top in SHIPPED for path in sorted((ROOT / top).rglob("*"))
             if path.suffix in SUFFIXES and path.is_file()
             for text in [path.read_text(encoding="utf-8", errors="replace")]
             for match in MARKER.finditer(text)]
    assert not found, found
