"""Reads of work guides: the list a user may read, a guide with its steps and images, the
work items an editor may still write a guide for, the guide's latest PDF; a map's process map;
product courses: the list, a course's check, its manual's script on the session clock, the
products an editor may still write a course for, a course's latest PDFs; a map's product map
(products, the matrix's cases, solutions); the case library (its lists, a step's cases best
first, the review queue)."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from casspath.analytics.cases import CaseFigures, rank_cases
from casspath.analytics.sessions import Slot, session_length, timeline
from casspath.cass.access import editable_maps_q
from casspath.cass.models import CassMap, WorkItem
from casspath.cass.queries import map_dimensions
from casspath.core.errors import InvalidValue
from casspath.knowledge.access import (
    may_read_case_comments,
    visible_cases_q,
    visible_courses_q,
    visible_guides_q,
)
from casspath.knowledge.actions.process import check_place
from casspath.knowledge.models import (
    Case,
    CaseRead,
    CaseStatus,
    CaseUseful,
    Course,
    CoursePdf,
    CourseQuestion,
    GuideImage,
    GuidePdf,
    GuideStep,
    Industry,
    ManualSegment,
    ProcessStep,
    Product,
    ProductActivationStep,
    ProductTariff,
    Solution,
    SolutionComparison,
    SolutionProduct,
    WorkGuide,
)


def guides_for(user) -> QuerySet[WorkGuide]:
    """The guides `user` may read, with their resource, map and work item; `step_count`
    and `image_count` annotated."""
    return (
        WorkGuide.objects.filter(visible_guides_q(user))
        .select_related("resource__cass_map__org_unit", "work_item")
        .annotate(step_count=Count("steps", distinct=True), image_count=Count("steps__images", distinct=True))
        .order_by("resource__cass_map__org_unit__path", "work_item__code")
    )


def guide_page_of_resource(resource) -> str | None:
    """The page of the guide that `resource` (of kind work_guide) is, or None when no guide
    was written for it. The caller has accessed the resource: the guide's page checks again."""
    guide_id = WorkGuide.objects.filter(resource=resource).values_list("pk", flat=True).first()
    return None if guide_id is None else reverse("knowledge:guide", args=[guide_id])


def steps_of(guide: WorkGuide) -> list[GuideStep]:
    """The guide's steps in order, each with its images in order (two queries)."""
    steps = list(
        GuideStep.objects.filter(guide=guide)
        .order_by("order", "id")
        .prefetch_related(Prefetch("images", queryset=GuideImage.objects.order_by("order", "id")))
    )
    for step in steps:
        step.guide = guide
    return steps


def work_items_without_guide(user) -> QuerySet[WorkItem]:
    """Work items of the maps `user` may edit that have no guide yet."""
    return (
        WorkItem.objects.filter(editable_maps_q(user, "cass_map__"), work_guide__isnull=True)
        .select_related("cass_map")
        .order_by("cass_map__name", "code")
    )


def latest_pdf(guide: WorkGuide) -> GuidePdf | None:
    """The guide's PDF job asked last, of its current version; None when none was asked
    since the guide last changed."""
    return (
        GuidePdf.objects.filter(guide=guide, edition=guide.updated_at).order_by("-created_at", "-id").first()
    )


def process_tree(cass_map: CassMap) -> list[ProcessStep]:
    """The map's phases in order, each with `steps` in order, each step with `steps` (its
    sub-steps); every node with `dimensions` [(code, name)] and its work items (by code), in
    a constant number of queries: the steps, their work items, the map's model."""
    nodes = list(
        ProcessStep.objects.filter(cass_map=cass_map)
        .order_by("order", "id")
        .prefetch_related(Prefetch("work_items", queryset=WorkItem.objects.order_by("code")))
    )
    names = map_dimensions(cass_map) if any(node.dimension_codes for node in nodes) else {}
    children: dict[int | None, list[ProcessStep]] = {}
    for node in nodes:
        node.cass_map = cass_map
        node.dimensions = [(code, names.get(code, "")) for code in node.dimension_codes]
        children.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.steps = children.get(node.pk, [])
    return children.get(None, [])


def process_parents(phases: list[ProcessStep], step: ProcessStep) -> list[tuple[ProcessStep, int]]:
    """The steps of the tree `phases` (process_tree) that `step` may become part of, in tree
    order, each with its level (1 phase, 2 step): neither itself nor one below it, nor one
    under which it or a step below it would sit deeper than three levels
    (actions/process.check_place, which the move itself applies)."""
    nodes: list[tuple[ProcessStep, int]] = []
    parent_of: dict[str, str | None] = {}

    def walk(node: ProcessStep, level: int, parent: ProcessStep | None) -> None:
        nodes.append((node, level))
        parent_of[node.code] = parent.code if parent else None
        for child in node.steps:
            walk(child, level + 1, node)

    for phase in phases:
        walk(phase, 1, None)
    allowed = []
    for node, level in nodes:
        try:
            check_place(step.code, node.code, parent_of)
        except InvalidValue:
            continue
        allowed.append((node, level))
    return allowed


def process_breadcrumb(step: ProcessStep) -> list[ProcessStep]:
    """The step's phase and step above it, top first (the caller loaded parent__parent)."""
    above = []
    node = step.parent
    while node is not None:
        above.append(node)
        node = node.parent
    return above[::-1]


def courses_for(user) -> QuerySet[Course]:
    """The courses `user` may read, with their resource, map and product; `question_count`
    and `segment_count` annotated."""
    return (
        Course.objects.filter(visible_courses_q(user))
        .select_related("resource__cass_map__org_unit", "product")
        .annotate(
            question_count=Count("questions", distinct=True),
            segment_count=Count("manual__segments", distinct=True),
        )
        .order_by("resource__cass_map__org_unit__path", "product__code")
    )


def products_without_course(user) -> QuerySet[Product]:
    """Products of the maps `user` may edit that have no course yet."""
    return (
        Product.objects.filter(editable_maps_q(user, "cass_map__"), course__isnull=True)
        .select_related("cass_map")
        .order_by("cass_map__name", "code")
    )


def questions_of(course: Course) -> list[CourseQuestion]:
    questions = list(CourseQuestion.objects.filter(course=course).order_by("order", "id"))
    for question in questions:
        question.course = course
    return questions


def script_of(course: Course) -> dict:
    """The manual's segments in order, each with its `slot` on the session clock
    (casspath.analytics.sessions), and the session's `length`."""
    segments = list(ManualSegment.objects.filter(manual__course=course).order_by("order", "id"))
    minutes = [segment.minutes for segment in segments]
    slots: list[Slot] = timeline(minutes)
    for segment, slot in zip(segments, slots, strict=True):
        segment.slot = slot
        segment.manual = course.manual
    return {"segments": segments, "length": session_length(minutes)}


def latest_course_pdf(course: Course, document: str) -> CoursePdf | None:
    """The course's PDF job of `document` asked last, of its current version."""
    return (
        CoursePdf.objects.filter(course=course, document=document, edition=course.updated_at)
        .order_by("-created_at", "-id")
        .first()
    )


# --- the product map ------------------------------------------------------------------------


def industries_of(cass_map: CassMap) -> list[Industry]:
    return list(Industry.objects.filter(cass_map=cass_map).order_by("order", "id"))


def industries_with_counts(cass_map: CassMap) -> list[Industry]:
    """The map's industries in order, each with how many products, published cases and
    solutions name it (`product_count`, `case_count`, `solution_count`; subqueries)."""

    def count(model, link: str, **where):
        rows = model.objects.filter(**{link: OuterRef("pk")}, **where).order_by().values(link)
        return Coalesce(Subquery(rows.annotate(n=Count("*")).values("n"), output_field=IntegerField()), 0)

    return list(
        Industry.objects.filter(cass_map=cass_map)
        .annotate(
            product_count=count(Product.industries.through, "industry"),
            case_count=count(Case.industries.through, "industry", case__status=CaseStatus.PUBLISHED),
            solution_count=count(Solution, "industry"),
        )
        .order_by("order", "id")
    )


def industry_choices(cass_map: CassMap) -> QuerySet[Industry]:
    """The map's industries, for a form's choices."""
    return Industry.objects.filter(cass_map=cass_map).order_by("order", "id")


def products_of(
    cass_map: CassMap,
    *,
    industry: Industry | None = None,
    size: str = "",
    customer_type: str = "",
    include_inactive: bool = False,
) -> list[Product]:
    """The map's products by category, family and code, with their industries and tariff
    plans (three queries), filtered by a target industry and customer size and type (the
    attributes are short lists: filtered here, the same on both databases)."""
    found = Product.objects.filter(cass_map=cass_map)
    if not include_inactive:
        found = found.filter(active=True)
    if industry is not None:
        found = found.filter(industries=industry)
    products = list(
        found.order_by("category", "family", "code").prefetch_related(
            Prefetch("industries", queryset=Industry.objects.order_by("order", "id")),
            Prefetch("tariffs", queryset=ProductTariff.objects.order_by("order", "id")),
        )
    )
    if size:
        products = [p for p in products if size in p.customer_sizes]
    if customer_type:
        products = [p for p in products if customer_type in p.customer_types]
    for product in products:
        product.cass_map = cass_map
    return products


def product_detail(product: Product) -> dict:
    """What a product's card shows beside its fields: its tariff plans, activation steps,
    industries, solutions it is part of, and its published cases, newest first."""
    return {
        "tariffs": list(ProductTariff.objects.filter(product=product).order_by("order", "id")),
        "steps": list(ProductActivationStep.objects.filter(product=product).order_by("order", "id")),
        "industries": list(product.industries.order_by("order", "id")),
        "solutions": list(
            Solution.objects.filter(items__product=product, active=True)
            .select_related("industry")
            .order_by("code")
        ),
        "cases": list(
            Case.objects.filter(products=product, status=CaseStatus.PUBLISHED)
            .order_by("-published_at", "-id")
            .only("id", "code", "title", "knowledge_point", "published_at")[:50]
        ),
    }


def matrix_triples(cass_map: CassMap, by: str) -> list[tuple[int, int, object]]:
    """(case id, product id, industry id or customer size) of the map's published cases, in
    one query: what analytics.product_matrix counts. `by` is "industry" or "size"."""
    links = Case.products.through.objects.filter(case__cass_map=cass_map, case__status=CaseStatus.PUBLISHED)
    if by == "industry":
        return list(
            links.filter(case__industries__isnull=False).values_list(
                "case_id", "product_id", "case__industries"
            )
        )
    if by == "size":
        return list(
            links.exclude(case__customer_size="").values_list("case_id", "product_id", "case__customer_size")
        )
    raise ValueError(f"no matrix by {by!r}")


def solutions_of(cass_map: CassMap, *, include_inactive: bool = False) -> list[Solution]:
    """The map's solutions with their industry and products in order (two queries)."""
    found = Solution.objects.filter(cass_map=cass_map)
    if not include_inactive:
        found = found.filter(active=True)
    solutions = list(
        found.select_related("industry")
        .order_by("code")
        .prefetch_related(
            Prefetch(
                "items", queryset=SolutionProduct.objects.select_related("product").order_by("order", "id")
            )
        )
    )
    for solution in solutions:
        solution.cass_map = cass_map
    return solutions


def solution_detail(solution: Solution) -> dict:
    return {
        "products": [
            item.product
            for item in SolutionProduct.objects.filter(solution=solution)
            .select_related("product")
            .order_by("order", "id")
        ],
        "comparisons": list(SolutionComparison.objects.filter(solution=solution).order_by("order", "id")),
    }


def comparisons_of(solutions: list[Solution]) -> dict[int, list[SolutionComparison]]:
    """Each solution's comparison rows in order (one query for them all)."""
    found: dict[int, list[SolutionComparison]] = {}
    for row in SolutionComparison.objects.filter(solution__in=solutions).order_by("order", "id"):
        found.setdefault(row.solution_id, []).append(row)
    return found


# --- the case library (案例地图) -------------------------------------------------------------


def _figured(cases: QuerySet[Case]) -> QuerySet:  # with annotations the stubs cannot name
    """Cases with `useful_count` and `reader_count` annotated (subqueries: no row product)."""
    useful = CaseUseful.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("*")).values("n")
    reads = CaseRead.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("*")).values("n")
    return cases.annotate(
        useful_count=Coalesce(Subquery(useful, output_field=IntegerField()), 0),
        reader_count=Coalesce(Subquery(reads, output_field=IntegerField()), 0),
    )


def ranked_ids(cases: QuerySet[Case], *, dimension: str = "") -> list[int]:
    """The ids of published cases in the order of casspath.analytics.cases, read from their
    figures alone (a few numbers a case, not its story: a library of 100,000 cases ranks in
    one light query; the page then loads only the rows it shows, `in_order`). With
    `dimension`, those tagged with that code only (a JSON list, which SQLite cannot test
    for containment: the codes are read with the figures)."""
    fields = ["pk", "useful_count", "reader_count", "published_at", "created_at", "picked"]
    rows = _figured(cases).values_list(*fields, *(["dimension_codes"] if dimension else []))
    figures = [
        CaseFigures(pk, useful, readers, published or created, picked)
        for pk, useful, readers, published, created, picked, *codes in rows
        if not dimension or dimension in (codes[0] or [])
    ]
    return rank_cases(figures, timezone.now())


def in_order(ids: list[int]) -> list[Case]:
    """The cases `ids` names, whole with their figures and author, in that order."""
    by_id = _figured(Case.objects.filter(pk__in=ids)).select_related("author", "cass_map").in_bulk()
    return [by_id[pk] for pk in ids if pk in by_id]


# As many as the process map shows under a step (its count links to them all).
TOP_CASES = 3


def published_cases_by_step(cass_map: CassMap) -> tuple[dict[int, set[int]], dict[int, list[Case]]]:
    """The map's published cases under each process step they are tagged to: their ids, and
    the best TOP_CASES, best first (three queries however many cases: the figures, the step
    links, the rows shown). The caller has accessed the map: whoever reads it reads its
    published cases."""
    published = Case.objects.filter(cass_map=cass_map, status=CaseStatus.PUBLISHED)
    rank = {pk: n for n, pk in enumerate(ranked_ids(published))}
    by_step: dict[int, list[int]] = {}
    for step_id, case_id in Case.steps.through.objects.filter(case__in=published).values_list(
        "processstep_id", "case_id"
    ):
        if case_id in rank:  # one published between the two reads waits for the next
            by_step.setdefault(step_id, []).append(case_id)
    best = {step_id: sorted(ids, key=rank.__getitem__)[:TOP_CASES] for step_id, ids in by_step.items()}
    rows = {case.pk: case for case in in_order(sorted({pk for ids in best.values() for pk in ids}))}
    return (
        {step_id: set(ids) for step_id, ids in by_step.items()},
        {step_id: [rows[pk] for pk in ids if pk in rows] for step_id, ids in best.items()},
    )


def attach_cases(cass_map: CassMap, phases: list[ProcessStep]) -> None:
    """Give every node of a process tree (process_tree) its best `published_cases` (its own,
    TOP_CASES at most, best first) and its `case_count`: the published cases of it and its
    sub-steps, as the library's step filter finds them (its "All n cases" link)."""
    ids_by_step, best = published_cases_by_step(cass_map)

    def attach(node: ProcessStep) -> set[int]:
        ids = set(ids_by_step.get(node.pk, ()))
        for child in node.steps:
            ids |= attach(child)
        node.case_count = len(ids)
        node.published_cases = best.get(node.pk, [])
        return ids

    for phase in phases:
        attach(phase)


def case_library(
    user, *, cass_map=None, step=None, dimension="", product=None, industry=None, size=""
) -> list[int]:
    """The ids of the published cases `user` may read, filtered by map, process step (its
    sub-steps with it), dimension code, product, industry, customer size; best first (load a
    page of them with `in_order`)."""
    cases = Case.objects.filter(visible_cases_q(user), status=CaseStatus.PUBLISHED)
    if cass_map is not None:
        cases = cases.filter(cass_map=cass_map)
    if step is not None:
        cases = cases.filter(Q(steps=step) | Q(steps__parent=step) | Q(steps__parent__parent=step))
    if product is not None:
        cases = cases.filter(products=product)
    if industry is not None:
        cases = cases.filter(industries=industry)
    if size:
        cases = cases.filter(customer_size=size)
    return ranked_ids(cases.distinct(), dimension=dimension)


def review_queue(user) -> QuerySet[Case]:
    """The cases in review on the maps `user` may review, the longest waiting first."""
    return (
        Case.objects.filter(editable_maps_q(user, "cass_map__"), status=CaseStatus.IN_REVIEW)
        .select_related("author", "cass_map")
        .order_by("submitted_at", "id")
    )


def review_counts(user) -> dict[str, int]:
    """How many cases of the maps `user` may review are in each status."""
    rows = (
        Case.objects.filter(editable_maps_q(user, "cass_map__"))
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def my_cases(user) -> list[Case]:
    """The cases the user wrote, any status, newest change first, each with its comments;
    those of maps he may still read (one who moved to another city no longer opens his old
    city's cases, so they are not listed either)."""
    return list(
        Case.objects.filter(visible_cases_q(user), author__user=user)
        .select_related("cass_map")
        .prefetch_related("comments")
        .order_by("-updated_at", "-id")
    )


def my_returned_cases(user) -> list[Case]:
    """The cases a reviewer sent back to their author `user`, newest change first (one
    query, what the home card shows), of maps he may still read as my_cases."""
    return list(
        Case.objects.filter(visible_cases_q(user), author__user=user, status=CaseStatus.CHANGES_REQUESTED)
        .only("id", "title", "updated_at")
        .order_by("-updated_at", "-id")
    )


def case_form_tags(cass_map: CassMap) -> dict:
    """What a map's cases are tagged with: its process steps, products and industries (as
    querysets, for a form's choices) and its dimensions (code → name)."""
    return {
        "steps": ProcessStep.objects.filter(cass_map=cass_map).order_by("code"),
        "products": Product.objects.filter(cass_map=cass_map).order_by("code"),
        "industries": Industry.objects.filter(cass_map=cass_map),
        "dimensions": map_dimensions(cass_map),
    }


def case_filters(cass_map: CassMap) -> dict:
    """case_form_tags as lists, for the library's filters."""
    tags = case_form_tags(cass_map)
    return {key: value if key == "dimensions" else list(value) for key, value in tags.items()}


def case_detail(case: Case, user) -> dict:
    """What the case page shows beside the case: its steps (with their phase), dimensions
    [(code, name)], products, industries, comments (to its author and reviewers:
    access.may_read_case_comments), attachments, useful count and whether `user` marked it."""
    names = map_dimensions(case.cass_map) if case.dimension_codes else {}
    return {
        "steps": list(case.steps.select_related("parent__parent").order_by("code")),
        "dimensions": [(code, names.get(code, "")) for code in case.dimension_codes or []],
        "products": list(case.products.all()),
        "industries": list(case.industries.all()),
        "comments": list(case.comments.select_related("author"))
        if may_read_case_comments(user, case)
        else [],
        "attachments": list(case.attachments.all()),
        "useful_count": CaseUseful.objects.filter(case=case).count(),
        "marked": CaseUseful.objects.filter(case=case, user_id=user.pk).exists(),
    }
