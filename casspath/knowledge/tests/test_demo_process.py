"""`casspath demo` writes the process map of the enterprise-customer account manager on the
CASS map that applies to the province: nine phases from 熟悉业务 to 客户维护与深耕, more than
thirty steps, each with its own purpose, techniques and tools, the default model's
dimensions and the demo's work items; a rebuild adds nothing."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from casspath.cass.demo_data.work_items import WORK_ITEMS
from casspath.core.models import AuditEvent
from casspath.knowledge.demo_process import PROCESS, all_steps
from casspath.knowledge.models import ProcessStep

PHASES = [
    "熟悉业务",
    "寻找目标客户",
    "客户拜访",
    "需求挖掘",
    "方案设计",
    "商务谈判",
    "签约",
    "交付",
    "客户维护与深耕",
]


def _default_dimensions() -> set[str]:
    data = json.loads((Path(__file__).parents[2] / "competency/data/default_model.json").read_text())
    return {d["code"] for module in data["modules"] for d in module["dimensions"]}


def test_it_writes_each_step_on_its_own():
    steps = all_steps()
    assert [phase.name for phase in PROCESS] == PHASES
    below = [s for s in steps if s not in PROCESS]
    assert len(below) >= 30
    assert len({s.code for s in steps}) == len(steps)
    for part in ("purpose", "techniques", "tools"):
        texts = [getattr(s, part) for s in steps]
        assert all(texts), part
        assert len(set(texts)) == len(texts), f"a {part} written twice"
    known_items = {item["code"] for item in WORK_ITEMS}
    for step in steps:
        assert set(step.dimensions) <= _default_dimensions() and step.dimensions, step.code
        assert set(step.work_items) <= known_items, step.code
    for phase in PROCESS:  # three levels at most
        assert all(not sub.steps for step in phase.steps for sub in step.steps)


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db
def test_it_builds_the_process_map_once():
    output = _demo("--managers", "30", "--seed", "3")
    phases = list(ProcessStep.objects.filter(parent=None).order_by("order"))
    assert [p.name for p in phases] == PHASES
    assert len({p.cass_map_id for p in ProcessStep.objects.all()}) == 1
    steps = ProcessStep.objects.exclude(parent=None)
    assert steps.count() == len(all_steps()) - len(PROCESS) >= 30
    assert all(s.dimension_codes for s in steps)
    visit = ProcessStep.objects.get(code="PM03-1")
    assert visit.dimension_codes == ["D02", "D04"]
    assert [i.code for i in visit.work_items.order_by("code")] == ["W02"]
    assert ProcessStep.objects.filter(parent__parent__isnull=False).count() == 4  # sub-steps
    assert "process map: 9 phases" in output
    written = AuditEvent.objects.filter(verb="knowledge.save_process_step").count()
    _demo("--managers", "30", "--seed", "3")
    assert ProcessStep.objects.count() == len(all_steps())
    assert AuditEvent.objects.filter(verb="knowledge.save_process_step").count() == written
