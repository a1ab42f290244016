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


def test_it_gives_each_weight_its_share_of_a_total_past_a_hundred():
    from casspath.analytics.requirements import shares

    # The larger of stage and grade weights: 60 + 70 = 130, not 100.
    assert shares([Decimal("60"), Decimal("70")]) == [Decimal("46.2"), Decimal("53.8")]
    assert shares([Decimal("25")] * 4) == [Decimal("25.0")] * 4
    assert shares([Decimal(0), Decimal(0)]) == [Decimal(0), Decimal(0)]
    assert shares([]) == []
