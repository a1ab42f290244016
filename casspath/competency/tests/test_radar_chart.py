import pytest

from casspath.analytics.charts import radar_chart


def test_it_builds_a_radar_with_one_axis_per_label_and_one_line_per_series():
    chart = radar_chart(["谈判", "拜访"], [("成长期", [2, None]), ("成熟期", [4, 5])])
    assert chart["radar"]["indicator"] == [
        {"name": "谈判", "max": 5, "min": 0},
        {"name": "拜访", "max": 5, "min": 0},
    ]
    assert chart["series"][0]["data"] == [
        {"name": "成长期", "value": [2, 0]},
        {"name": "成熟期", "value": [4, 5]},
    ]
    assert chart["legend"]["data"] == ["成长期", "成熟期"]


def test_it_refuses_mismatched_series():
    with pytest.raises(ValueError):
        radar_chart(["a", "b"], [("x", [1])])
    with pytest.raises(ValueError):
        radar_chart([], [])
