"""Words of Chinese (and mixed) text for the full-text index: rjieba's search mode
(`cut_for_search`: 中国移动 gives 中国, 移动 and 中国移动, so a query of either finds it) over
text normalised character by character (NFKC, lower case: ＧＤ and gd, ５Ｇ and 5g are one
word), so that a position in the normalised text is the same position in the original (the
snippets mark the original).

The index stores the words joined by spaces; SQLite's unicode61 tokenizer and PostgreSQL's
`simple` configuration then split on the spaces only (every rjieba word is letters or digits
once punctuation is dropped).
"""

import unicodedata
from functools import lru_cache

import rjieba


@lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    return folded if len(folded) == 1 else char.lower()


def fold(text: str) -> str:
    """`text` full-width to half-width and lower case, one character for one (same length)."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).lower()
    if len(folded) == len(text):  # nearly always: one character for one, in one call
        return folded
    return "".join(_fold(char) for char in text)


def _bare(word: str) -> str:
    """A word with what is not a letter or digit left out (pm01-1 → pm011, as the query's)."""
    return word if word.isalnum() else "".join(char for char in word if char.isalnum())


def words(text: str) -> list[str]:
    """The index's words of `text`, in order (search mode: a long word and its parts)."""
    if not text:
        return []
    return [bare for bare in map(_bare, rjieba.cut_for_search(fold(text))) if bare]


def indexed(text: str) -> str:
    """`text` as the index stores it: its words joined by spaces."""
    return " ".join(words(text))


# The most UTF-8 bytes of words one document's parts hold in the index together: PostgreSQL
# refuses a tsvector over 1 MB ("string is too long for tsvector"), which this many bytes of
# words cannot reach (a distinct word costs at most its bytes and 8 more), so a document
# pasted with a megabyte of text is indexed by its beginning on either database, and never
# stops a rebuild. A long work guide or product card holds a tenth of it.
MAX_INDEXED_BYTES = 300_000


def indexed_parts(*texts: str) -> list[str]:
    """Each text as the index stores it (`indexed`), the words past MAX_INDEXED_BYTES of
    them all together (counting a space after each) left out, the first text's kept first."""
    budget = MAX_INDEXED_BYTES
    parts = []
    for text in texts:
        found = words(text)
        joined = " ".join(found)
        size = len(joined.encode()) + 1
        if size > budget:
            kept = []
            for word in found:
                size = len(word.encode()) + 1
                if size > budget:
                    break
                budget -= size
                kept.append(word)
            budget, joined = 0, " ".join(kept)
        else:
            budget -= size
        parts.append(joined)
    return parts


def query_terms(query: str) -> list[str]:
    """A query's terms, each to be found (AND): rjieba's precise mode over the normalised
    query (中国移动 stays one term, which the index holds as a word of its own), duplicates
    dropped, punctuation left out. Bare words of the query's own spacing are cut the same."""
    terms: list[str] = []
    for word in map(_bare, rjieba.cut(fold(query))):
        if word and word not in terms:
            terms.append(word)
    return terms
