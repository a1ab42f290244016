"""`casspath search QUERY [--kind K] [--json] [--as USERNAME]` and `casspath search --rebuild`."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_hits_as_json_best_first(world, library):
    data = json.loads(run("5G专网", "--json"))
    assert data["query"] == "5G专网"
    assert [hit["code"] for hit in data["hits"]][:2] == ["C001", "C003"]
    first = data["hits"][0]
    assert set(first) >= {"kind", "code", "title", "score", "snippet"}
    assert first["kind"] == "case" and first["title"] == "5G专网助力港口自动化"
    assert data["hits"][0]["score"] >= data["hits"][1]["score"]


def test_it_narrows_to_a_kind_and_a_filter(world, library):
    data = json.loads(run("云电脑", "--kind", "product", "--json"))
    assert [(hit["kind"], hit["code"]) for hit in data["hits"]] == [("product", "P19")]
    data = json.loads(run("客户经理", "--step", "PM01-1", "--json"))
    assert [hit["code"] for hit in data["hits"]] == ["C002"]


def test_it_searches_within_the_scope_of_the_user_named(world, library):
    assert [hit["code"] for hit in json.loads(run("视频会议", "--json", "--as", "E0101"))["hits"]] == []
    assert [hit["code"] for hit in json.loads(run("视频会议", "--json", "--as", "E0001"))["hits"]] == ["C004"]


def test_it_prints_ranked_lines_with_the_terms_bracketed(world, library):
    out = run("云电脑", "--kind", "case")
    assert "1. [case] C002 学校机房改用[云电脑]" not in out  # the title is printed as it is
    assert "1. [case] C002 学校机房改用云电脑" in out and "[云电脑]" in out


def test_it_refuses_an_empty_query_and_an_unknown_user(world, library):
    with pytest.raises(CommandError):
        run()
    with pytest.raises(CommandError):
        run("专线", "--as", "nobody")


def test_it_rebuilds_the_index_with_progress(world, library):
    out = run("--rebuild")
    assert "case: 4/4" in out and "product: 2/2" in out
    assert "index rebuilt: case 4, product 2, guide 0, card 0" in out
    assert [hit["code"] for hit in json.loads(run("港口", "--json"))["hits"]] == ["C001"]


def test_it_names_its_filters_in_chinese_first(capsys):
    """`--help`: 按流程步骤编码筛选, not 按step编码筛选."""
    from casspath.cli import main

    with pytest.raises(SystemExit):
        main(["casspath", "search", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for zh, en in (("流程步骤", "step"), ("维度", "dimension"), ("产品", "product"), ("行业", "industry")):
        assert f"按{zh}编码筛选 (only hits tagged with this {en} code)" in out
    assert "按step" not in out
