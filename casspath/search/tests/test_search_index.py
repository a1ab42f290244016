"""The index kept current on commit, and rebuilt."""

import pytest
from django.db import transaction

from casspath.knowledge.models import Case, CaseStatus, Industry
from casspath.search import index
from casspath.search.queries import search


def codes(user, query, **kwargs):
    return [hit.code for hit in search(user, query, **kwargs)]


def test_it_indexes_a_change_when_it_commits(world, library, django_capture_on_commit_callbacks):
    case = library["cases"]["C001"]
    with django_capture_on_commit_callbacks(execute=False) as pending:
        case.title = "港口的无人吊机"
        case.save()
        case.title = "港口的无人吊机调度"
        case.save()
        assert codes(world.province_admin, "无人吊机") == []  # not committed yet
    assert len(pending) == 1  # one callback for the transaction, the writes deduplicated
    pending[0]()
    assert codes(world.province_admin, "无人吊机") == ["C001"]


@pytest.mark.django_db(transaction=True)
def test_it_leaves_the_index_as_it_was_when_the_write_rolls_back(world, library):
    case = library["cases"]["C001"]
    with pytest.raises(RuntimeError), transaction.atomic():
        case.title = "回滚的标题"
        case.save()
        raise RuntimeError("refused")
    assert codes(world.province_admin, "回滚") == []
    with transaction.atomic():
        case.title = "提交的标题"
        case.save()
    assert codes(world.province_admin, "提交") == ["C001"]


def test_it_follows_tags_added_and_removed(world, library, django_capture_on_commit_callbacks):
    case, line = library["cases"]["C001"], library["products"]["P01"]
    with django_capture_on_commit_callbacks(execute=True):
        case.products.add(line)
    assert codes(world.province_admin, "5G专网", kinds=["case"], filters={"product": "P01"}) == [
        "C003",
        "C001",
    ] or set(codes(world.province_admin, "5G专网", kinds=["case"], filters={"product": "P01"})) == {
        "C001",
        "C003",
    }
    with django_capture_on_commit_callbacks(execute=True):
        line.cases.remove(case)
    assert codes(world.province_admin, "5G专网", kinds=["case"], filters={"product": "P01"}) == ["C003"]


def test_it_removes_a_deleted_case(world, library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        library["cases"]["C002"].delete()
    assert codes(world.province_admin, "云电脑", kinds=["case"]) == []


def test_it_rebuilds_what_bulk_writes_left_out(world, library):
    Case.objects.bulk_create(
        [
            Case(
                cass_map=library["map"],
                code=f"B{n:03d}",
                title=f"批量导入的案例{n}",
                knowledge_point="批量",
                story="没有信号的写入。",
                status=CaseStatus.PUBLISHED,
            )
            for n in range(3)
        ]
    )
    assert codes(world.province_admin, "批量导入") == []
    counts = index.rebuild()
    assert counts["case"] == 7 and counts["product"] == 2
    assert sorted(codes(world.province_admin, "批量导入")) == ["B000", "B001", "B002"]
    assert codes(world.province_admin, "云电脑", kinds=["case"]) == ["C002"]


def test_it_finds_a_case_by_the_name_of_its_industry(world, library, django_capture_on_commit_callbacks):
    """A manager searches for his customer's industry: 教育 is nowhere in C002's text, only its
    tag, and untagging the case takes it out."""
    assert "教育" not in library["cases"]["C002"].story
    assert codes(world.province_admin, "教育", kinds=["case"]) == ["C002"]
    with django_capture_on_commit_callbacks(execute=True):
        library["cases"]["C002"].industries.clear()
    assert codes(world.province_admin, "教育", kinds=["case"]) == []


def test_it_follows_an_industry_changed_on_the_industries_page(
    world, library, django_capture_on_commit_callbacks
):
    """An industry's code is its cases' and products' filter tag and its name in their text:
    its editor changes both (the industries page's action), and search follows."""
    from casspath.knowledge.actions.products import do_save_industry

    edu = Industry.objects.get(cass_map=library["map"], code="IND02")
    with django_capture_on_commit_callbacks(execute=True):
        do_save_industry(
            library["map"],
            {"code": "IND77", "name": "医疗卫生"},
            industry=edu,
            acting_user=world.province_admin,
        )
    admin = world.province_admin
    assert sorted(codes(admin, "云电脑", filters={"industry": "IND77"})) == ["C002", "P19"]
    assert codes(admin, "云电脑", filters={"industry": "IND02"}) == []
    assert sorted(codes(admin, "医疗卫生")) == ["C002", "P19"]
    assert codes(admin, "教育") == []


def test_it_follows_a_product_or_process_step_whose_code_changed(
    world, library, django_capture_on_commit_callbacks
):
    """A product's and a step's codes are their cases' filter tags (a phase's too, for its
    steps' cases): a changed code is followed on the commit."""
    cloud, step = library["products"]["P19"], library["step"]
    with django_capture_on_commit_callbacks(execute=True):
        cloud.code = "P90"
        cloud.save()
        step.parent.code = "PM09"
        step.parent.save()
    admin = world.province_admin
    assert codes(admin, "云电脑", kinds=["case"], filters={"product": "P90"}) == ["C002"]
    assert codes(admin, "云电脑", kinds=["case"], filters={"product": "P19"}) == []
    assert codes(admin, "云电脑", kinds=["case"], filters={"step": "PM09"}) == ["C002"]
    assert codes(admin, "云电脑", kinds=["case"], filters={"step": "PM01"}) == []


def _unique_words(count: int) -> str:
    """`count` different made-up words (the worst a full-text vector holds: none repeats)."""
    letters = "bcdfghjklmnpqrstvwxz"
    return " ".join(
        "".join(letters[(n // 20**place) % 20] for place in range(5)) + "ab" for n in range(count)
    )


def test_it_indexes_and_rebuilds_a_document_of_any_length(world, library, django_capture_on_commit_callbacks):
    """A product pasted with a megabyte of text (PostgreSQL refuses a tsvector over 1 MB)
    is still indexed by its beginning, and one such document does not stop a rebuild."""
    huge = library["products"]["P19"]
    with django_capture_on_commit_callbacks(execute=True):
        huge.how_it_works = "云桌面集中托管。" + _unique_words(130_000)
        huge.save()
    assert codes(world.province_admin, "云桌面", kinds=["product"]) == ["P19"]
    counts = index.rebuild()
    assert counts["product"] == 2
    assert codes(world.province_admin, "云桌面", kinds=["product"]) == ["P19"]
