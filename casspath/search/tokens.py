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


def query_terms(query: str) -> list[str]:
    """A query's terms, each to be found (AND): rjieba's precise mode over the normalised
    query (中国移动 stays one term, which the index holds as a word of its own), duplicates
    dropped, punctuation left out. Bare words of the query's own spacing are cut the same."""
    terms: list[str] = []
    for word in map(_bare, rjieba.cut(fold(query))):
        if word and word not in terms:
            terms.append(word)
    return terms
