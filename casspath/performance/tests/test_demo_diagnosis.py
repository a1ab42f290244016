"""`casspath demo` ends with a finished diagnosis of the demo company's root unit over its
default period (performance/demo.py), once: a rebuild adds none, and the diagnosis list
and page show it to the demo's training admin."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from casspath.core.models import AuditEvent
from casspath.org.models import OrgUnit
from casspath.performance import demo as performance_demo
from casspath.performance.models import DiagnosisSnapshot

PASSWORD = settings.CASSPATH["DEMO_PASSWORD"]


def demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_stores_one_finished_diagnosis_of_the_root_over_the_last_twelve_months():
    output = demo("--managers", "60", "--seed", "5")
    (snapshot,) = DiagnosisSnapshot.objects.all()
    root = OrgUnit.objects.get(parent=None)
    assert snapshot.org_unit == root and snapshot.status == DiagnosisSnapshot.Status.SUCCEEDED
    assert (snapshot.first_month, snapshot.last_month) == (performance_demo.DEMO_MONTHS[0],
                                                           performance_demo.DEMO_MONTHS[-1])
    assert snapshot.figures is not None and snapshot.figures["headcount"] >= 55
    assert snapshot.members.count() == snapshot.figures["headcount"]
    assert f"/performance/diagnoses/{snapshot.pk}/" in output
    assert AuditEvent.objects.filter(verb="performance.diagnose", object_id=str(snapshot.pk)).count() == 1


@pytest.mark.django_db
def test_it_adds_no_second_diagnosis_when_built_again():
    demo("--managers", "60", "--seed", "5")
    events = AuditEvent.objects.count()
    output = demo("--managers", "60", "--seed", "5")
    assert "nothing changed" in output
    assert DiagnosisSnapshot.objects.count() == 1 and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_it_diagnoses_again_once_the_demos_diagnosis_is_gone():
    demo("--managers", "60", "--seed", "5")
    DiagnosisSnapshot.objects.all().delete()
    output = demo("--managers", "60", "--seed", "5")
    assert "nothing changed" not in output
    assert DiagnosisSnapshot.objects.filter(status=DiagnosisSnapshot.Status.SUCCEEDED).count() == 1


@pytest.mark.django_db
def test_it_shows_the_diagnosis_on_the_list_and_its_page(client):
    demo("--managers", "60", "--seed", "5")
    snapshot = DiagnosisSnapshot.objects.get()
    assert snapshot.figures is not None
    assert client.post("/accounts/login/", {"username": "admin", "password": PASSWORD}).status_code == 302
    listed = client.get("/performance/diagnoses/")
    assert listed.status_code == 200 and f"/performance/diagnoses/{snapshot.pk}/" in listed.content.decode()
    page = client.get(f"/performance/diagnoses/{snapshot.pk}/")
    assert page.status_code == 200 and str(snapshot.figures["headcount"]) in page.content.decode()
