"""/performance/diagnoses/compare/: two stored diagnoses of the user's scope (two periods or
two units) side by side: the key figures and each tier's leading bottlenecks, with their
differences; only diagnoses in scope are offered or shown."""

import pytest

from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import parse_period
from casspath.performance.models import DiagnosisSnapshot
from casspath.testing import log_in

URL = "/performance/diagnoses/compare/"


@pytest.fixture
def two(world, diagnosable):
    early = do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-02"),
                        acting_user=world.city_admin_a)
    late = do_diagnose(world.team_a, parse_period(world.team_a, "2026-03", "2026-05"),
                       acting_user=world.city_admin_a)
    return early, late


def test_it_shows_the_key_figures_of_both_with_their_differences(client, world, two):
    early, late = two
    page = log_in(client, world.city_admin_a).get(URL, {"a": early.pk, "b": late.pk})
    assert page.status_code == 200
    figures = {figure.kind + str(i): figure for i, figure in enumerate(page.context["figures"])}
    headcount = figures["count0"]
    assert (headcount.a, headcount.b) == (early.figures["headcount"], late.figures["headcount"])
    mean = page.context["figures"][1]
    assert mean.a == early.figures["output_per_head"]["mean"]
    # The difference of the figures as shown (whole yuan), so that the columns add up.
    assert mean.difference == round(late.figures["output_per_head"]["mean"]) - round(mean.a)
    tiers = {tier.code: tier for tier in page.context["tiers"]}
    assert set(tiers) == {"high", "middle", "low"}
    low = next(tier for tier in early.figures["tiers"] if tier["tier"] == "low")
    assert len(tiers["low"].leading_a) == len(low["leading"])
    text = page.content.decode()
    for snapshot in (early, late):
        assert f'href="/performance/diagnoses/{snapshot.pk}/"' in text


def test_it_offers_the_diagnoses_in_scope_newest_first(client, world, two):
    early, late = two
    page = log_in(client, world.consultant_a).get(URL)
    assert [pk for pk, _label in page.context["choices"]] == [late.pk, early.pk]
    assert page.context["selected"] == (early.pk, late.pk)
    assert "figures" not in page.context


def test_it_refuses_a_diagnosis_of_another_city(client, world, two):
    early, late = two
    log_in(client, world.city_admin_b)
    assert client.get(URL).context["choices"] == []
    assert client.get(URL, {"a": early.pk, "b": late.pk}).status_code == 404


def test_it_refuses_a_manager_and_a_lecturer(client, world, two):
    early, late = two
    for user in (world.manager, world.lecturer_a):
        assert log_in(client, user).get(URL, {"a": early.pk, "b": late.pk}).status_code == 403


def _set(snapshot, change) -> None:
    figures = snapshot.figures
    change(figures)
    DiagnosisSnapshot.objects.filter(pk=snapshot.pk).update(figures=figures)


def _english(client, user):
    log_in(client, user)
    client.cookies["django_language"] = "en"
    return client


def _row(text: str, label: str) -> str:
    start = text.index(label)
    return text[start:text.index("</tr>", start)]


def test_it_gives_the_difference_of_shares_in_percentage_points_as_shown(client, world, two):
    early, late = two
    _set(early, lambda f: f["distribution"].update(zero_share=0.1834))
    _set(late, lambda f: f["distribution"].update(zero_share=0.1956))
    text = _english(client, world.city_admin_a).get(URL, {"a": early.pk, "b": late.pk}).content.decode()
    row = _row(text, "Share at zero")
    # 18.3% and 19.6% shown: 1.3 points between them (the raw 1.22 would print 1.2, in %).
    assert "18.3%" in row and "19.6%" in row and "+1.3 pp" in row
    assert "1.2%" not in row


def test_it_prints_no_change_as_zero_never_minus_zero(client, world, two):
    early, late = two
    _set(early, lambda f: f.update(gini=0.41249))
    _set(late, lambda f: f.update(gini=0.41201))  # both shown 0.412
    low_a = next(t for t in early.figures["tiers"] if t["tier"] == "low")
    dimension = low_a["leading"][0] if low_a["leading"] else low_a["ranking"][0]["dimension"]

    def gap(effect):
        def change(figures):
            tier = next(t for t in figures["tiers"] if t["tier"] == "low")
            tier["leading"] = [dimension]
            next(r for r in tier["ranking"] if r["dimension"] == dimension)["effect"] = effect
        return change
    _set(early, gap(0.501))
    _set(late, gap(0.499))  # both shown 0.50
    text = _english(client, world.city_admin_a).get(URL, {"a": early.pk, "b": late.pk}).content.decode()
    assert "−0.00" not in text and "-0.00" not in text and "−0.000" not in text
    assert '<td class="text-end difference" data-label="B − A">0.000</td>' in _row(text, "Gini")
    compared = text[text.index('id="compared-low"'):]
    assert '<td class="text-end text-nowrap difference">0.00</td>' in compared


def test_it_says_what_a_change_of_gap_does_not_show_in_both_languages(client, world, two):
    early, late = two
    query = {"a": early.pk, "b": late.pk}
    chinese = log_in(client, world.city_admin_a).get(URL, query).content.decode()
    assert "不说明原因" in chinese and "个百分点" in chinese
    english = _english(client, world.city_admin_a).get(URL, query).content.decode()
    assert "caught up" not in english
    assert "not why" in english and "chance" in english


def test_it_refuses_to_compare_a_diagnosis_with_itself_and_says_so(client, world, two):
    early, _late = two
    page = log_in(client, world.city_admin_a).get(URL, {"a": early.pk, "b": early.pk})
    assert page.status_code == 200 and "figures" not in page.context
    text = page.content.decode()
    assert "请选择两个不同的诊断" in text and "Choose two different diagnoses" in text


def test_it_says_which_id_is_not_a_diagnosis_number_in_both_languages(client, world, two):
    early, _late = two
    log_in(client, world.city_admin_a)
    for query in ({"a": early.pk, "b": "abc"}, {"a": early.pk, "b": "-1"}, {"a": early.pk, "b": "1.5"},
                  {"a": early.pk}):
        page = client.get(URL, query)
        assert page.status_code == 200 and "figures" not in page.context
        text = page.content.decode()
        assert "诊断 B" in text and "须为诊断编号" in text and "must be a diagnosis number" in text, query


def test_it_warns_when_the_two_were_measured_against_different_models(client, world, two):
    early, late = two
    query = {"a": early.pk, "b": late.pk}
    log_in(client, world.city_admin_a)
    assert "不同的能力模型" not in client.get(URL, query).content.decode()  # the same model: no caution
    _set(late, lambda f: f["model"].update(version=2))
    DiagnosisSnapshot.objects.filter(pk=late.pk).update(model_version=2)
    chinese = client.get(URL, query).content.decode()
    assert "不同的能力模型" in chinese and "第 1 版" in chinese and "第 2 版" in chinese
    english = _english(client, world.city_admin_a).get(URL, query).content.decode()
    assert "different competency models" in english
