"""Work guides, the process map, the product map, cases, courses and pocket books.

Work guides (工作指引手册, "McDonald's style"): one per work event of a CASS map, in
ordered steps, each with its text, the tips (要点), the mistakes to avoid (易错点) and
images (screenshots of the systems, photos of the forms to fill).

A guide is a learning resource of kind work_guide (cass.Resource, one to one): it sits in
the map's library with the resource's status (draft, published, retired: only published
guides reach learners) and its duration, the reading time of its text and images
(casspath.analytics.reading), which the actions keep in step with the steps.

The process map (流程地图): the account manager's work from learning the business to
deepening an account, as a tree of phases → steps → sub-steps (ProcessStep), hung on the
CASS map, so whoever may read or edit the map may read or edit its process map.

The product map (产品图谱): the map's industries and products, held on the CASS map the same
way (models/products.py), its integrated solutions (models/solutions.py); its case library
(models/cases.py).

Product skill courses (产品技能课程, models/courses.py): one per product, a learning resource
of kind course, with its three-question check, its lecturer manual (讲师手册: the script of a
15–20 minute team session) and its review material (补充材料). Guides, courses and manuals
print to PDF through one job shape (models/pdfs.py), as do pocket books (口袋书,
models/pocketbooks.py: chosen guides, product cards and Q&A cards in one A6 PDF).
"""

from casspath.knowledge.models.cases import (
    AUTHOR,
    CASE_DISCARDS,
    CASE_MOVES,
    CASE_TRANSITIONS,
    REVIEWER,
    Case,
    CaseAttachment,
    CaseComment,
    CaseRead,
    CaseStatus,
    CaseUseful,
    may_discard,
    may_move,
)
from casspath.knowledge.models.courses import (
    Course,
    CoursePdf,
    CourseQuestion,
    LecturerManual,
    ManualSegment,
    SegmentKind,
)
from casspath.knowledge.models.guides import GuideImage, GuidePdf, GuideStep, WorkGuide, lines
from casspath.knowledge.models.pdfs import PrintedPdf, _pdf_file_name
from casspath.knowledge.models.pocketbooks import (
    DEFAULT_PRESET,
    FAMILY_CARDS,
    FAMILY_PRESET,
    POCKETBOOK_PRESETS,
    PocketBook,
    Preset,
)
from casspath.knowledge.models.process import PROCESS_DEPTH, ProcessStep
from casspath.knowledge.models.products import (
    CustomerSize,
    CustomerType,
    Industry,
    InformatizationLevel,
    Product,
    ProductActivationStep,
    ProductTariff,
)
from casspath.knowledge.models.solutions import Solution, SolutionComparison, SolutionProduct

__all__ = [
    "AUTHOR",
    "CASE_DISCARDS",
    "CASE_MOVES",
    "CASE_TRANSITIONS",
    "REVIEWER",
    "Case",
    "CaseAttachment",
    "CaseComment",
    "CaseRead",
    "CaseStatus",
    "CaseUseful",
    "may_discard",
    "may_move",
    "Course",
    "CoursePdf",
    "CourseQuestion",
    "LecturerManual",
    "ManualSegment",
    "PrintedPdf",
    "DEFAULT_PRESET",
    "FAMILY_CARDS",
    "FAMILY_PRESET",
    "POCKETBOOK_PRESETS",
    "PocketBook",
    "Preset",
    "SegmentKind",
    "PROCESS_DEPTH",
    "CustomerSize",
    "CustomerType",
    "GuideImage",
    "GuidePdf",
    "GuideStep",
    "Industry",
    "InformatizationLevel",
    "Product",
    "ProductActivationStep",
    "ProductTariff",
    "Solution",
    "SolutionComparison",
    "SolutionProduct",
    "ProcessStep",
    "WorkGuide",
    "_pdf_file_name",  # migration 0001 names it
    "lines",
]
