"""How long a text takes to read: the duration of a reading resource (a work guide).

Rule (a reading-speed estimate, not a measurement): Chinese is read at 300 characters a
minute (CJK ideographs and full-width punctuation counted one each), other text at 200 words
a minute (a run of letters or digits is one word), and each image takes 10 seconds to look
at. minutes = ceil(cjk / 300 + words / 200 + images × 10 / 60), and at least 1.
Example: 1,200 characters, 40 words and 6 images → 4 + 0.2 + 1 = 5.2 → 6 minutes.
"""

import math
import re

CJK_PER_MINUTE = 300
WORDS_PER_MINUTE = 200
SECONDS_PER_IMAGE = 10

# CJK ideographs (with extension A and compatibility), CJK punctuation, full-width forms.
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_WORD = re.compile(r"[A-Za-z0-9]+")


def count_text(text: str) -> tuple[int, int]:
    """(CJK characters, other words) of `text`."""
    return len(_CJK.findall(text)), len(_WORD.findall(text))


def reading_minutes(cjk: int, words: int = 0, images: int = 0) -> int:
    """Whole minutes to read `cjk` Chinese characters, `words` other words and look at `images`."""
    for name, value in (("cjk", cjk), ("words", words), ("images", images)):
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    minutes = cjk / CJK_PER_MINUTE + words / WORDS_PER_MINUTE + images * SECONDS_PER_IMAGE / 60
    return max(1, math.ceil(minutes - 1e-9))


def text_reading_minutes(texts: list[str], images: int = 0) -> int:
    """reading_minutes of all `texts` together, with `images`."""
    cjk = words = 0
    for text in texts:
        c, w = count_text(text)
        cjk += c
        words += w
    return reading_minutes(cjk, words, images)
