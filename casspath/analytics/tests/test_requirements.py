from decimal import Decimal

from casspath.analytics.requirements import Required, effective


def test_it_takes_the_higher_level_and_the_larger_weight_separately():
    stage = Required(level=2, weight=Decimal("8.5"))
    grade = Required(level=4, weight=Decimal("6"))
    assert effective(stage, grade) == Required(level=4, weight=Decimal("8.5"))


def test_it_uses_whichever_requirement_exists():
    only = Required(level=3, weight=Decimal("5"))
    assert effective(only, None) == only
    assert effective(None, only) == only
    assert effective(None, None) is None
