"""Integrated solutions (综合解决方案 / 产品捆绑) of a CASS map's product map: a bundle of the
map's products for an industry, its value proposition, and how it compares, aspect by
aspect, with a competitor's typical bundle (for a manager answering a 捆绑式策反, a rival's
bundle offered to win the customer away). Read and edited as the map's products."""

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from casspath.core.validators import TextLimited, validate_code, validate_text


class Solution(TextLimited):

    TEXT_LIMITS = {"value_proposition": 5_000}
    cass_map = models.ForeignKey(
        "cass.CassMap",
        on_delete=models.CASCADE,
        related_name="solutions",
        verbose_name=pgettext_lazy("solution", "CASS map"),
    )
    code = models.CharField(
        pgettext_lazy("solution", "solution code"), max_length=30, validators=[validate_code]
    )
    name = models.CharField(pgettext_lazy("solution", "name"), max_length=200, validators=[validate_text])
    industry = models.ForeignKey(
        "knowledge.Industry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="solutions",
        verbose_name=pgettext_lazy("solution", "industry"),
    )
    products = models.ManyToManyField(
        "knowledge.Product",
        through="SolutionProduct",
        blank=True,
        related_name="solutions",
        verbose_name=pgettext_lazy("solution", "products"),
    )
    value_proposition = models.TextField(
        pgettext_lazy("solution", "value proposition"), blank=True, validators=[validate_text]
    )
    # Whose typical bundle the comparison is against (e.g. 友商 A 的"宽带+云+监控"套餐).
    competitor = models.CharField(
        pgettext_lazy("solution", "competitor's bundle"),
        max_length=200,
        blank=True,
        validators=[validate_text],
    )
    active = models.BooleanField(pgettext_lazy("solution", "offered"), default=True)
    created_at = models.DateTimeField(pgettext_lazy("solution", "created"), default=timezone.now)
    updated_at = models.DateTimeField(pgettext_lazy("solution", "changed"), default=timezone.now)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["cass_map", "code"], name="unique_solution_code")]
        verbose_name = pgettext_lazy("solution", "solution")
        verbose_name_plural = pgettext_lazy("solution", "solutions")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SolutionProduct(models.Model):
    """A product of a bundle, in the bundle's order (the core product first)."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("knowledge.Product", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(pgettext_lazy("solution", "order"), default=1)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["solution", "product"], name="unique_solution_product"),
        ]
        verbose_name = pgettext_lazy("solution", "bundled product")
        verbose_name_plural = pgettext_lazy("solution", "bundled products")

    def __str__(self) -> str:
        return f"{self.solution_id} ← {self.product_id}"


class SolutionComparison(TextLimited):
    """A row of a solution's comparison with the competitor's bundle: the aspect, ours, theirs."""

    TEXT_LIMITS = {"ours": 2_000, "theirs": 2_000}

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="comparisons")
    order = models.PositiveSmallIntegerField(pgettext_lazy("solution", "order"), default=1)
    aspect = models.CharField(pgettext_lazy("solution", "aspect"), max_length=100, validators=[validate_text])
    ours = models.TextField(pgettext_lazy("solution", "ours"), validators=[validate_text])
    theirs = models.TextField(pgettext_lazy("solution", "theirs"), validators=[validate_text])

    class Meta:
        ordering = ["order", "id"]
        verbose_name = pgettext_lazy("solution", "comparison row")
        verbose_name_plural = pgettext_lazy("solution", "comparison rows")

    def __str__(self) -> str:
        return f"{self.solution_id} {self.aspect}"
