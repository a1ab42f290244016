"""How long a text is as an SMS: whether a Q&A card's answer fits in one message.

The rule (3GPP TS 23.038, the GSM 7-bit default alphabet, and UCS-2):

- A text written only with characters of the GSM 7-bit default alphabet (the basic table:
  A–Z, a–z, 0–9, space, most ASCII punctuation, a few accented letters and Greek capitals)
  is sent in GSM 7-bit: one message holds 160 septets. A character of the extension table
  (``^ { } \\ [ ~ ] | €`` and form feed) takes two septets (an escape, then itself).
- Any other character (a Chinese character, Chinese punctuation such as ，。？, an emoji,
  even the ASCII backtick ` which the alphabet lacks) makes the whole message UCS-2: one
  message holds 70 UTF-16 code units; a character outside the Basic Multilingual Plane (most
  emoji) takes two.
- A longer text is split into concatenated parts, each losing room to its header: 153
  septets a part in GSM 7-bit, 67 code units in UCS-2 (a two-unit character is never split
  across parts, which this count does not model: it may need one part more than `parts`).

Pure Python (no Django): the Q&A card pages and the card form's live count (static
cass/sms_count.js, the same rule) both say it.
"""

from dataclasses import dataclass

# The basic table of the GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1), one septet each.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: two septets each (the escape, then the character).
GSM_EXTENDED = frozenset("\f^{}\\[~]|€")

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "gsm7" or "ucs2"
    length: int  # septets (gsm7) or UTF-16 code units (ucs2)
    limit: int  # what one message holds in that encoding: 160 or 70
    parts: int  # messages needed (0 for an empty text)

    @property
    def fits_one(self) -> bool:
        return self.length <= self.limit

    @property
    def over(self) -> int:
        """How many septets or code units past one message (0 when it fits)."""
        return max(0, self.length - self.limit)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in text)


def sms_length(text: str) -> SmsLength:
    """The encoding a phone sends `text` in, its length there, and the messages it takes."""
    if not isinstance(text, str):
        raise ValueError("sms_length takes a str")
    if is_gsm7(text):
        length = sum(2 if ch in GSM_EXTENDED else 1 for ch in text)
        single, part, encoding = GSM_SINGLE, GSM_PART, "gsm7"
    else:
        length = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, part, encoding = UCS2_SINGLE, UCS2_PART, "ucs2"
    if length == 0:
        parts = 0
    elif length <= single:
        parts = 1
    else:
        parts = -(-length // part)
    return SmsLength(encoding=encoding, length=length, limit=single, parts=parts)
