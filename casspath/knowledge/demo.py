"""knowledge's part of the demo: the process map (demo_process.py) and six work guides of the
enterprise-customer account manager (集团客户经理), each of 4–8 steps with what to do, the tips
and the mistakes to avoid, and images drawn at demo time (below: mock screenshots of the
systems, mock photos of the forms). The guides' text is demo_guides.py, their images
demo_images.py.

The guides hang on the CASS map that applies to the province (cass's part builds it): each
guide finds its work item by code (W15–W18 are the four ordering events cass's map holds
for them; W02 the visit, W10 the contract), else by name, else creates it; when no map
applies yet, it creates "集团客户部 CASS 地图" at the province through cass's actions. A work
item that has a guide already is left as it is, so a second run changes nothing. The
process map hangs on the same map; a step whose code the map holds is left as it is.
"""

import random

from casspath.cass.actions.maps import do_create_map, do_save_work_item
from casspath.cass.models import CassMap, ResourceStatus, WorkItem
from casspath.cass.queries import map_applying, map_dimensions
from casspath.core.demo import DemoPart, DemoRun
from casspath.knowledge.actions.guides import do_add_image, do_create_guide, do_save_step, do_set_guide_status
from casspath.knowledge.actions.process import do_save_process_step
from casspath.knowledge.demo_courses import build_courses, describe_courses
from casspath.knowledge.demo_guides import GUIDES, Guide
from casspath.knowledge.demo_images import image_file
from casspath.knowledge.demo_process import PROCESS, Step, all_steps
from casspath.knowledge.demo_solutions import build_product_map
from casspath.knowledge.models import GuideImage, ProcessStep, Product, Solution, WorkGuide

MAP_NAME = "集团客户部 CASS 地图"
MODEL_FAMILY = "default"


def guides_map(run: DemoRun) -> CassMap | None:
    unit = run.shared.get("province") or run.shared["root"]
    return map_applying(unit) or map_applying(run.shared["root"])


def _work_item(cass_map: CassMap, spec: Guide, run: DemoRun) -> WorkItem:
    found = (
        WorkItem.objects.filter(cass_map=cass_map, code=spec.code).first()
        or WorkItem.objects.filter(cass_map=cass_map, name=spec.work_item).order_by("code").first()
    )
    if found is not None:
        return found
    return do_save_work_item(
        cass_map,
        {
            "code": spec.code,
            "name": spec.work_item,
            "importance": spec.importance,
            "frequency": spec.frequency,
        },
        acting_user=run.acting_user,
    )


def build_process_map(cass_map: CassMap, run: DemoRun) -> int:
    """Write the steps of demo_process.py the map lacks (by code), with the dimensions its
    model has and the work items it holds; the number written."""
    have = set(ProcessStep.objects.filter(cass_map=cass_map).values_list("code", flat=True))
    dimensions = map_dimensions(cass_map)
    items = {item.code: item for item in WorkItem.objects.filter(cass_map=cass_map)}
    total, made = len(all_steps()), 0

    def write(spec: Step, parent: ProcessStep | None) -> None:
        nonlocal made
        if spec.code in have:
            node = ProcessStep.objects.get(cass_map=cass_map, code=spec.code)
        else:
            node = do_save_process_step(
                cass_map,
                {
                    "code": spec.code,
                    "name": spec.name,
                    "purpose": spec.purpose,
                    "techniques": spec.techniques,
                    "tools": spec.tools,
                    "dimension_codes": [code for code in spec.dimensions if code in dimensions],
                },
                parent=parent,
                work_items=[items[code] for code in spec.work_items if code in items],
                acting_user=run.acting_user,
            )
            made += 1
            run.progress("process map", made, total)
        for child in spec.steps:
            write(child, node)

    for phase in PROCESS:
        write(phase, None)
    return made


class KnowledgeDemo(DemoPart):
    def build(self, run: DemoRun) -> dict[str, int]:
        rng = random.Random(f"{run.seed}:knowledge")  # noqa: S311 (demo data, reproducible by design)
        cass_map = guides_map(run)
        if cass_map is None:
            cass_map = do_create_map(
                org_unit=run.shared.get("province") or run.shared["root"],
                model_family=MODEL_FAMILY,
                name=MAP_NAME,
                description="集团客户经理的工作内容、关键动作与学习资源。",
                acting_user=run.acting_user,
            )
        made = {
            "process_steps": build_process_map(cass_map, run),
            "work_guides": 0,
            "guide_steps": 0,
            "guide_images": 0,
        }
        for number, spec in enumerate(GUIDES, start=1):
            run.progress("work guides", number, len(GUIDES))
            item = _work_item(cass_map, spec, run)
            if WorkGuide.objects.filter(work_item=item).exists():
                continue
            item.cass_map = cass_map
            guide = do_create_guide(item, title=spec.title, intro=spec.intro, acting_user=run.acting_user)
            for index, step_spec in enumerate(spec.steps, start=1):
                step = do_save_step(
                    guide,
                    {
                        "title": step_spec.title,
                        "text": step_spec.text,
                        "tips": step_spec.tips,
                        "mistakes": step_spec.mistakes,
                    },
                    acting_user=run.acting_user,
                )
                for image_number, image_spec in enumerate(step_spec.images, start=1):
                    upload = image_file(image_spec, rng, f"{spec.code}-{index}-{image_number}")
                    do_add_image(step, upload, caption=image_spec.caption, acting_user=run.acting_user)
                    made["guide_images"] += 1
                made["guide_steps"] += 1
            do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=run.acting_user)
            made["work_guides"] += 1
        # The product map comes before the case library: cases name its products and industries.
        made.update(build_product_map(cass_map, run, rng))
        # After the product map's products (demo_courses.py finds them by code).
        made["product_courses"] = build_courses(cass_map, run)
        return made

    def describe(self, run: DemoRun) -> list[str]:
        cass_map = guides_map(run)
        if cass_map is None:
            return []
        guides = WorkGuide.objects.filter(resource__cass_map=cass_map)
        images = GuideImage.objects.filter(step__guide__in=guides).count()
        phases = ProcessStep.objects.filter(cass_map=cass_map, parent=None).count()
        steps = ProcessStep.objects.filter(cass_map=cass_map).count() - phases
        return [
            f"work guides: {guides.count()} with {images} images, on {cass_map.name}",
            f"process map: {phases} phases, {steps} steps, on {cass_map.name}",
            *describe_courses(cass_map),
            f"product map: {Product.objects.filter(cass_map=cass_map).count()} products, "
            f"{Solution.objects.filter(cass_map=cass_map).count()} solutions, on {cass_map.name}",
        ]


part = KnowledgeDemo()
