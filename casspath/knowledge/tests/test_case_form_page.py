"""The case form (write a case, change one): a manager writes and submits it; its author
changes it while it is his, a reviewer always; the tags are those of the case's map."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casspath.core.models import AuditEvent
from casspath.knowledge.models import Case, CaseStatus, ProcessStep
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def form_data(process, **extra):
    step = ProcessStep.objects.get(cass_map=process, code="P1-2")
    data = {
        "title": "名单分级找到大客户",
        "knowledge_point": "先分级再拜访",
        "story": "小王把园区名单按员工人数分了三级，先拜访了一级客户。",
        "result": "一周签下两条专线",
        "steps": [step.pk],
        "dimension_codes": ["D01"],
        "customer_type": "",
        "customer_size": "",
    }
    return {**data, **extra}


def test_it_writes_and_submits_a_case(client, world, process, tagged):
    log_in(client, world.manager)
    url = reverse("knowledge:case_new", args=[process.pk])
    page = client.get(url).content.decode()
    assert "P1-2" in page and "互联网专线" in page and "政府机关" in page and "D01" in page
    data = form_data(process, products=[tagged["line"].pk], industries=[tagged["gov"].pk], then="submit")
    response = client.post(url, data)
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("knowledge:case", args=[case.pk])
    assert case.status == CaseStatus.IN_REVIEW and case.author and case.author.user == world.manager
    assert [s.code for s in case.steps.all()] == ["P1-2"]
    assert [p.code for p in case.products.all()] == ["P01"] and case.dimension_codes == ["D01"]
    assert set(AuditEvent.objects.values_list("verb", flat=True)) >= {
        "knowledge.create_case",
        "knowledge.submit_case",
    }


def test_it_writes_one_case_when_the_form_is_sent_twice(client, world, process):
    """A double tap on "save and submit" (or the browser sending the form again): one case,
    one submission, and the second answer leads to the same case without an error."""
    log_in(client, world.manager)
    url = reverse("knowledge:case_new", args=[process.pk])
    first = client.post(url, form_data(process, then="submit"))
    second = client.post(url, form_data(process, then="submit"), follow=True)
    case = Case.objects.get()
    assert first["Location"] == reverse("knowledge:case", args=[case.pk])
    assert second.redirect_chain[-1][0] == reverse("knowledge:case", args=[case.pk])
    assert "不能从" not in second.content.decode()
    assert case.status == CaseStatus.IN_REVIEW
    assert AuditEvent.objects.filter(verb="knowledge.submit_case").count() == 1
    # Another case, or the same one sent again after it was changed, is written.
    client.post(url, form_data(process, story="另一个故事：小王第二周又去了二级客户。"))
    assert Case.objects.count() == 2


def test_it_refuses_a_tag_id_no_database_holds(client, world, process):
    """A step, product or industry id past a 64-bit integer (a posted form, not the page's
    boxes) is refused as any unknown choice; SQLite could not even compare it."""
    log_in(client, world.manager)
    huge = "99999999999999999999"
    for field in ("steps", "products", "industries"):
        response = client.post(
            reverse("knowledge:case_new", args=[process.pk]), form_data(process, **{field: [huge]})
        )
        assert response.status_code == 200 and huge in response.content.decode()
    assert not Case.objects.exists()


def test_it_saves_a_draft(client, world, process):
    log_in(client, world.manager)
    client.post(reverse("knowledge:case_new", args=[process.pk]), form_data(process, then="save"))
    assert Case.objects.get().status == CaseStatus.DRAFT


def test_it_refuses_a_case_without_its_story(client, world, process):
    log_in(client, world.manager)
    response = client.post(reverse("knowledge:case_new", args=[process.pk]), form_data(process, story=""))
    assert response.status_code == 200 and not Case.objects.exists()


def test_it_refuses_a_login_without_an_employee_record(client, world, process):
    log_in(client, world.analyst_a)
    response = client.post(reverse("knowledge:case_new", args=[process.pk]), form_data(process))
    assert response.status_code == 200 and not Case.objects.exists()
    assert "员工档案" in response.content.decode()


def test_it_says_a_login_without_an_employee_record_may_not_write_before_he_writes(client, world, process):
    log_in(client, world.analyst_a)
    response = client.get(reverse("knowledge:case_new", args=[process.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("knowledge:cases") + f"?map={process.pk}"
    assert "没有员工档案" in page and 'name="story"' not in page
    url = reverse("knowledge:case_new", args=[process.pk])
    english = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "no employee record" in english.content.decode()
    log_in(client, world.manager)  # an employee gets the form
    assert 'name="story"' in client.get(reverse("knowledge:case_new", args=[process.pk])).content.decode()


def test_it_refuses_a_map_he_may_not_read(client, world, process):
    log_in(client, world.city_admin_b)
    assert client.get(reverse("knowledge:case_new", args=[process.pk])).status_code == 404


def test_it_lets_the_author_change_his_case_sent_back_but_not_in_review(client, world, review_case, process):
    log_in(client, world.manager)
    url = reverse("knowledge:case_edit", args=[review_case.pk])
    assert client.get(url).status_code == 403
    Case.objects.filter(pk=review_case.pk).update(status=CaseStatus.CHANGES_REQUESTED)
    response = client.post(url, form_data(process, title="扫楼扫出两条专线", then="submit"))
    assert response.status_code == 302
    review_case.refresh_from_db()
    assert review_case.title == "扫楼扫出两条专线" and review_case.status == CaseStatus.IN_REVIEW


def test_it_lets_a_reviewer_change_a_published_case_and_its_resource(client, world, published_case, process):
    log_in(client, world.consultant_a)
    url = reverse("knowledge:case_edit", args=[published_case.pk])
    client.post(url, form_data(process, title="扫楼扫出两条专线"))
    published_case.refresh_from_db()
    assert published_case.resource.title == "扫楼扫出两条专线"
    assert published_case.status == CaseStatus.PUBLISHED


@pytest.mark.parametrize("role", ["team_lead", "analyst_a", "manager_b"])
def test_it_refuses_others_the_form_of_a_published_case(client, world, published_case, role):
    log_in(client, world.roles()[role])
    response = client.get(reverse("knowledge:case_edit", args=[published_case.pk]))
    assert response.status_code == (404 if role == "manager_b" else 403)


def test_it_refuses_a_step_of_another_map(client, world, process, draft_case):
    from casspath.cass.actions.maps import do_create_map

    other = do_create_map(
        org_unit=world.city_a, model_family="other", name="另一张地图", acting_user=world.consultant_a
    )
    log_in(client, world.manager)
    response = client.get(reverse("knowledge:case_new", args=[other.pk]))
    assert "P1-2" not in response.content.decode()


def test_it_refuses_a_story_past_its_cap_naming_the_field(client, world, process):
    log_in(client, world.manager)
    response = client.post(
        reverse("knowledge:case_new", args=[process.pk]), form_data(process, story="故" * 300_000)
    )
    assert response.status_code == 200 and not Case.objects.exists()
    errors = response.context["form"].errors
    assert list(errors) == ["story"]
    assert "超过上限 20000" in errors["story"][0] and "more than the limit of 20000" in errors["story"][0]
    assert "故事" in errors["story"][0]


def test_it_refuses_a_part_past_its_cap_and_keeps_the_case_as_it_was(client, world, process, draft_case):
    log_in(client, world.manager)
    url = reverse("knowledge:case_edit", args=[draft_case.pk])
    response = client.post(url, form_data(process, challenge="难" * 5_001))
    assert response.status_code == 200 and "challenge" in response.context["form"].errors
    assert "5000" in response.context["form"].errors["challenge"][0]
    draft_case.refresh_from_db()
    assert draft_case.challenge == "" and draft_case.title != "名单分级找到大客户"
    # At the cap it is taken.
    assert client.post(url, form_data(process, challenge="难" * 5_000)).status_code == 302


@pytest.mark.parametrize(
    "then, says",
    [
        ("draft", "The case was saved without that file."),
        ("submit", "The case was saved without that file, and not sent for review."),
    ],
)
def test_it_says_the_new_case_was_kept_when_its_file_is_refused(client, world, process, then, says):
    """A file refused with the new case (a macro in a .docx) leaves the case saved, a draft: the
    page says so beside the refusal, in both languages."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    log_in(client, world.manager)
    url = reverse("knowledge:case_new", args=[process.pk])
    data = form_data(process, then=then, file=SimpleUploadedFile("报价.docx", packed.getvalue()))
    page = client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    case = Case.objects.get()
    assert case.status == CaseStatus.DRAFT and not case.attachments.exists()
    assert "holds macros" in page and says in page
    refused = SimpleUploadedFile("报价.docx", packed.getvalue())
    again = form_data(process, then=then, title="第二个", file=refused)
    chinese = client.post(url, again, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "案例已保存，未附上该文件" in chinese
