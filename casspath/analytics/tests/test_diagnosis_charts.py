"""The diagnosis page's chart options (histogram, Lorenz curve, trend, heat map, correlation
bars with intervals), built from plain figures; hand-written expectations."""

import math

import pytest

from casspath.analytics.charts import (
    DARK_TEXT,
    HEAT_COLOURS,
    LIGHT_TEXT,
    MISSING,
    contrast_ratio,
    edge_label,
    error_bar_chart,
    heatmap_chart,
    histogram_chart,
    line_chart,
    lorenz_chart,
    scale_colour,
    text_colour,
)


def test_it_labels_each_histogram_bin_by_its_bounds():
    option = histogram_chart([0, 500, 1000, 1500.5], [7, 3, 1], series_name="人数")
    assert option["xAxis"]["data"] == ["0–500", "500–1,000", "1,000–1,500"]
    assert option["series"][0]["data"] == [7, 3, 1]
    with pytest.raises(ValueError):
        histogram_chart([0, 1], [1, 2])


def test_it_gives_round_edges_of_a_small_step_the_decimals_they_need():
    option = histogram_chart([0, 0.2, 0.4, 0.6000000000000001], [1, 2, 3])
    assert option["xAxis"]["data"] == ["0.0–0.2", "0.2–0.4", "0.4–0.6"]
    assert histogram_chart([-0.1, -0.05, 0], [1, 1])["xAxis"]["data"] == ["-0.10–-0.05", "-0.05–0.00"]


@pytest.mark.parametrize(("value", "step", "label"), [
    (1500.0, 500.0, "1,500"), (2.0, 1.0, "2"), (0.6000000000000001, 0.2, "0.6"), (0.05, 0.05, "0.05"),
    (139.64, 139.64, "140"),  # a diagnosis stored before the edges were round
])
def test_it_labels_an_edge_with_the_decimals_of_its_step(value, step, label):
    assert edge_label(value, step) == label


def test_it_draws_the_lorenz_curve_beside_the_line_of_equality():
    option = lorenz_chart([0, 0.5, 1], [0, 0.123456, 1], series_name="洛伦兹曲线", equality_name="完全平均")
    curve, equality = option["series"]
    assert curve["data"] == [[0.0, 0.0], [0.5, 0.1235], [1.0, 1.0]]
    assert equality["data"] == [[0, 0], [1, 1]] and equality["lineStyle"]["type"] == "dashed"
    assert option["xAxis"]["max"] == option["yAxis"]["max"] == 1
    assert lorenz_chart([0, 1], [math.nan, None])["series"][0]["data"] == [[0.0, MISSING], [1.0, MISSING]]


def test_it_draws_one_line_per_series_with_gaps_for_missing_months():
    option = line_chart(["2026-01", "2026-02"], [("含大单", [1200.456, None]), ("剔除大单", [800, 700])])
    assert [s["name"] for s in option["series"]] == ["含大单", "剔除大单"]
    assert option["series"][0]["data"] == [1200.46, MISSING]
    assert option["legend"]["data"] == ["含大单", "剔除大单"]
    with pytest.raises(ValueError):
        line_chart(["2026-01"], [("a", [1, 2])])


def test_it_puts_the_first_row_of_the_heat_map_on_top():
    option = heatmap_chart(["绩优", "绩差"], ["D01", "D02", "D03"], [[4.2, 2.1], [3.0, None], [1.234, 5]])
    assert option["yAxis"]["data"] == ["D03", "D02", "D01"]  # drawn bottom up: D01 on top
    cells = {}
    for item in option["series"][0]["data"]:
        x, y, value = item["value"] if isinstance(item, dict) else item
        cells[(x, option["yAxis"]["data"][y])] = item
    assert cells[(0, "D01")]["value"][2] == 4.2 and cells[(1, "D02")] == [1, 1, MISSING]
    # One decimal on every label, 3.0 and 5.0 included; 1.234 rounded as shown.
    labels = {key: item["label"]["formatter"] for key, item in cells.items() if isinstance(item, dict)}
    assert labels == {(0, "D01"): "4.2", (1, "D01"): "2.1", (0, "D02"): "3.0", (0, "D03"): "1.2",
                      (1, "D03"): "5.0"}
    assert cells[(0, "D02")]["tooltip"]["formatter"] == "绩优 · D02: 3.0"
    # The scale is the levels' 1 to 5, as the caption says, whatever the values met.
    assert option["visualMap"]["min"] == 1 and option["visualMap"]["max"] == 5
    assert option["visualMap"]["text"] == ["5", "1"]
    assert heatmap_chart(["a"], ["D01"], [[3.1]])["visualMap"]["min"] == 1
    with pytest.raises(ValueError):
        heatmap_chart(["a"], ["D01"], [[1, 2]])


def test_it_colours_the_heat_map_as_echarts_blends_its_stops():
    assert scale_colour(1, 1, 5) == HEAT_COLOURS[0] and scale_colour(5, 1, 5) == HEAT_COLOURS[-1]
    assert scale_colour(2, 1, 5) == HEAT_COLOURS[1] and scale_colour(0, 1, 5) == HEAT_COLOURS[0]
    # A quarter of the way from #f8f9fa to #cfe2ff: 248 − 41/4, 249 − 23/4, 250 + 5/4, rounded.
    assert scale_colour(1.25, 1, 5) == "#eef3fb"
    with pytest.raises(ValueError):
        scale_colour(3, 5, 5)


def test_it_writes_each_label_in_the_colour_that_reads_on_its_cell():
    # WCAG 2 reference values: black on white 21:1, #777777 on white 4.48:1.
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0, abs=1e-9)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.478, abs=1e-3)
    assert text_colour(HEAT_COLOURS[0]) == DARK_TEXT and text_colour(HEAT_COLOURS[-1]) == LIGHT_TEXT
    option = heatmap_chart(["a"], [f"r{i}" for i in range(41)], [[1 + i / 10] for i in range(41)])
    for item in option["series"][0]["data"]:
        background = scale_colour(item["value"][2], 1, 5)
        assert contrast_ratio(item["label"]["color"], background) >= 4.5, item


def test_it_sorts_the_bars_with_their_intervals_and_leaves_out_what_has_no_value():
    option = error_bar_chart(["D01", "D02", "D03", "D04"], [0.31, -0.05, None, 0.12],
                             [0.2, -0.2, None, 0.01], [0.4, 0.1, None, 0.22], [True, False, False, True],
                             marked_name="q < 0.05", unmarked_name="q ≥ 0.05")
    # Smallest first, so that ECharts draws the largest on top; D03 has no value.
    assert option["yAxis"]["data"] == ["D02", "D04", "D01"]
    marked, unmarked, whiskers = option["series"]
    assert marked["data"] == [MISSING, 0.12, 0.31] and unmarked["data"] == [-0.05, MISSING, MISSING]
    assert whiskers["type"] == "boxplot"
    assert whiskers["data"][2] == [0.2, 0.31, 0.31, 0.31, 0.4]
    assert option["legend"]["data"] == ["q < 0.05", "q ≥ 0.05"]


def test_it_draws_no_whisker_for_a_value_without_an_interval():
    option = error_bar_chart(["D01"], [0.5], [None], [None], [False])
    assert option["series"][2]["data"] == [MISSING]


def test_it_gives_each_bar_its_tooltip_escaped():
    option = error_bar_chart(["D01", "D02"], [0.25, 0.1], [None, None], [None, None], [True, False],
                             tooltips=["<b>D01</b>: ρ 0.250", "D02: ρ 0.100"])
    assert option["series"][0]["data"][1] == {"value": 0.25,
                                              "tooltip": {"formatter": "&lt;b&gt;D01&lt;/b&gt;: ρ 0.250"}}
    assert option["series"][1]["data"][0]["value"] == 0.1
    with pytest.raises(ValueError):
        error_bar_chart(["D01"], [0.2], [None], [None], [True], tooltips=["a", "b"])
