"""The process map (流程地图)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.core.validators import TextLimited, validate_code, validate_text
from casspath.knowledge.models.guides import lines

# A phase, its steps, their sub-steps: deeper than that is refused (actions/process.py).
PROCESS_DEPTH = 3


class ProcessStep(TextLimited):
    """A phase (阶段, no parent), a step or a sub-step of a CASS map's process map: what it
    is for, the key techniques and tools, the dimensions it uses (codes of the map's
    competency model, as key actions name them) and the work items it belongs to."""

    TEXT_LIMITS = dict.fromkeys(("purpose", "techniques", "tools"), 5_000)

    cass_map = models.ForeignKey(
        "cass.CassMap",
        on_delete=models.CASCADE,
        related_name="process_steps",
        verbose_name=pgettext_lazy("process map", "CASS map"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=pgettext_lazy("process map", "part of"),
    )
    code = models.CharField(pgettext_lazy("process map", "code"), max_length=20, validators=[validate_code])
    # 1, 2, 3… among siblings with no gap: the actions renumber on removal and swap on a move.
    order = models.PositiveSmallIntegerField(pgettext_lazy("process map", "order"), default=1)
    name = models.CharField(pgettext_lazy("process map", "name"), max_length=200, validators=[validate_text])
    purpose = models.TextField(
        pgettext_lazy("process map", "purpose"), blank=True, validators=[validate_text]
    )
    techniques = models.TextField(
        pgettext_lazy("process map", "key techniques"),
        blank=True,
        validators=[validate_text],
        help_text=_("One point a line."),
    )
    tools = models.TextField(
        pgettext_lazy("process map", "tools"),
        blank=True,
        validators=[validate_text],
        help_text=_("One point a line."),
    )
    dimension_codes = models.JSONField(pgettext_lazy("process map", "dimensions"), default=list, blank=True)
    work_items = models.ManyToManyField(
        "cass.WorkItem",
        blank=True,
        related_name="process_steps",
        verbose_name=pgettext_lazy("process map", "work items"),
    )

    # Set by queries.process_tree: the children in order, the dimensions as (code, name).
    steps: list["ProcessStep"]
    dimensions: list[tuple[str, str]]
    # Set by queries.attach_cases: how many published cases it and its sub-steps have, and
    # its own best few first.
    case_count: int
    published_cases: list

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cass_map", "code"], name="unique_process_step_code"),
        ]
        verbose_name = pgettext_lazy("process map", "process step")
        verbose_name_plural = pgettext_lazy("process map", "process steps")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def technique_lines(self) -> list[str]:
        return lines(self.techniques)

    @property
    def tool_lines(self) -> list[str]:
        return lines(self.tools)
