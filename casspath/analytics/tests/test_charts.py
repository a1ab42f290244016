"""Bar chart options: a chart of many categories (the tenure histogram at 100,000 managers,
on a phone) draws no labels on top of each other."""

from casspath.analytics.charts import VALUES_ON_BARS_UP_TO, bar_chart


def test_it_puts_values_on_the_bars_of_a_few_categories():
    option = bar_chart(["成长期", "发展期", "成熟期"], [31919, 38770, 34988], series_name="人数")
    assert option["series"][0]["label"]["show"] is True
    assert option["series"][0]["labelLayout"] == {"hideOverlap": True}


def test_it_leaves_the_values_to_the_tooltip_and_thins_the_axis_labels_of_many_categories():
    years = [f"{n} 年" for n in range(VALUES_ON_BARS_UP_TO + 1)]
    option = bar_chart(years, list(range(len(years))), series_name="人数")
    assert option["series"][0]["label"]["show"] is False
    assert option["tooltip"]["trigger"] == "axis"
    assert option["xAxis"]["axisLabel"] == {"interval": "auto", "hideOverlap": True}
    assert option["xAxis"]["data"] == years


def test_it_shows_every_label_of_a_few_categories_wrapped_instead_of_hiding_some():
    stages = ["Growth (0-3 years)", "Development (3-8 years)", "Maturity (8+ years)"]
    option = bar_chart(stages, [3, 4, 5])
    assert option["xAxis"]["axisLabel"]["interval"] == 0  # none left out
    assert option["xAxis"]["axisLabel"]["overflow"] == "break"
    assert "hideOverlap" not in option["xAxis"]["axisLabel"]
