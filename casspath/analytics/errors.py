"""The one error the diagnosis's statistics raise for input they cannot use.

Statistically degenerate input (one person, a constant dimension, too few pairs for an
interval) is not an error: it gives a documented NaN. This error is for input that no
formula can read: arrays whose shapes disagree, settings out of range. The app wraps it
in its bilingual error type.
"""


class AnalyticsInputError(ValueError):
    """Input the statistics cannot be computed from (the message says which and why)."""
