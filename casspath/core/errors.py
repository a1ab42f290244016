"""The one bilingual error: every refusal casspath words for a user says it in Chinese and
English, in the same two attributes, whatever layer raises it."""


class BilingualError(Exception):
    """A refusal or failure with a message in both languages.

    Subclasses name the kind of failure (a bad file, a bad value, a refused action); they
    never add a third spelling of the message. `str()` gives both, Chinese first.
    """

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en

    def as_dict(self) -> dict:
        return {"message_zh": self.message_zh, "message_en": self.message_en}

    def both(self) -> str:
        """Both messages on one line, Chinese first (form errors, CLI output)."""
        return f"{self.message_zh} / {self.message_en}"


class InvalidValue(BilingualError):  # noqa: N818 (a value's verdict, like ValueError)
    """One value is not acceptable, and why: raised by `casspath.core.validators`.

    Imports turn it into a row error naming the row and column, forms and actions into a
    field error, the API into an `errors` entry naming the field.
    """


class InvalidTransition(BilingualError):
    """A status change that the object's transition table (its rules as data) does not allow:
    a background job's (casspath.core.jobs), a competency model version's, and so on."""
