"""The product map (产品图谱): a CASS map's industries and products.

Held on the CASS map like its process map, so whoever may read or edit the map may read or
edit its products. Q&A cards name a product by its code (cass.QACard.product_code), matched
within the same map. Cases (knowledge.models.cases) are tagged with products and
industries: the product matrix (products × industries) counts and links them.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from casspath.core.validators import validate_code, validate_text


class CustomerSize(models.TextChoices):
    """Customer attributes (客户属性): the size of a customer, a column of the matrix."""

    MICRO = "micro", pgettext_lazy("customer size", "micro (小微)")
    SMALL = "small", pgettext_lazy("customer size", "small and medium (中小)")
    LARGE = "large", pgettext_lazy("customer size", "large (大型)")


class CustomerType(models.TextChoices):
    """Customer attributes (客户属性): what kind of organisation the customer is."""

    GOVERNMENT = "government", pgettext_lazy("customer type", "government (政府机关)")
    PUBLIC = "public", pgettext_lazy("customer type", "public institution (事业单位)")
    ENTERPRISE = "enterprise", pgettext_lazy("customer type", "enterprise (企业)")
    SOLE = "sole", pgettext_lazy("customer type", "sole trader (个体工商户)")


class Industry(models.Model):
    """An industry (行业) of a map's product map: a row of the product matrix; products name
    the industries they suit, cases the industry they happened in."""

    cass_map = models.ForeignKey(
        "cass.CassMap",
        on_delete=models.CASCADE,
        related_name="industries",
        verbose_name=pgettext_lazy("product map", "CASS map"),
    )
    code = models.CharField(pgettext_lazy("product map", "code"), max_length=20, validators=[validate_code])
    name = models.CharField(pgettext_lazy("product map", "name"), max_length=100, validators=[validate_text])
    order = models.PositiveSmallIntegerField(pgettext_lazy("product map", "order"), default=1)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cass_map", "code"], name="unique_industry_code"),
            models.UniqueConstraint(fields=["cass_map", "name"], name="unique_industry_name"),
        ]
        verbose_name = pgettext_lazy("product map", "industry")
        verbose_name_plural = pgettext_lazy("product map", "industries")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """A product of the map's product map (产品图谱)."""

    cass_map = models.ForeignKey(
        "cass.CassMap",
        on_delete=models.CASCADE,
        related_name="products",
        verbose_name=pgettext_lazy("product map", "CASS map"),
    )
    # cass.QACard.product_code holds this code: the same length.
    code = models.CharField(
        pgettext_lazy("product map", "product code"), max_length=30, validators=[validate_code]
    )
    name = models.CharField(pgettext_lazy("product map", "name"), max_length=200, validators=[validate_text])
    category = models.CharField(
        pgettext_lazy("product map", "category"), max_length=100, blank=True, validators=[validate_text]
    )
    family = models.CharField(
        pgettext_lazy("product map", "family"), max_length=100, blank=True, validators=[validate_text]
    )
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="products", verbose_name=pgettext_lazy("product map", "industries")
    )
    created_at = models.DateTimeField(pgettext_lazy("product map", "created"), default=timezone.now)
    updated_at = models.DateTimeField(pgettext_lazy("product map", "changed"), default=timezone.now)

    class Meta:
        ordering = ["category", "family", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cass_map", "code"], name="unique_product_code"),
        ]
        verbose_name = pgettext_lazy("product map", "product")
        verbose_name_plural = pgettext_lazy("product map", "products")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
