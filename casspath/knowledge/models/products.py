"""The product map (产品图谱): a CASS map's industries and products.

Held on the CASS map like its process map, so whoever may read or edit the map may read or
edit its products. A product carries what a manager needs in front of a customer: what it
is (说明), its selling points (卖点, one a line), tariff (资费: a note and its plans,
ProductTariff), how it works (实现原理), how to promote it (推广策略), the informatization level
of the customers it suits (信息化程度), the industries and customer attributes (size, type)
it suits, and its activation process (开通流程: ProductActivationStep, in order, each with an
optional screenshot checked as guide images are). Q&A cards name a product by its code
(cass.QACard.product_code), matched within the same map. Cases (knowledge.models.cases) are
tagged with products and industries: the product matrix (products × industries) counts and
links them.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from casspath.core.validators import TextLimited, validate_code, validate_text
from casspath.knowledge.models.guides import lines


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


class InformatizationLevel(models.IntegerChoices):
    """信息化程度: how far the customers a product suits have gone in informatization."""

    BASIC = 1, pgettext_lazy("informatization", "basic (基础: connectivity, phones)")
    ADVANCED = 2, pgettext_lazy("informatization", "advanced (进阶: cloud, collaboration)")
    DEEP = 3, pgettext_lazy("informatization", "deep (深度: private networks, integration)")


def _choice_list_validator(choices: type[models.TextChoices], what_zh: str, what_en: str):
    def validate(value) -> None:
        allowed = list(choices.values)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(f"{what_zh}应为列表 / {what_en} must be a list")
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValidationError(
                f"未知的{what_zh}：{'、'.join(unknown)}（可选：{'、'.join(allowed)}） / "
                f"unknown {what_en}: {', '.join(unknown)} (one of: {', '.join(allowed)})"
            )
        if len(set(value)) != len(value):
            raise ValidationError(f"{what_zh}有重复 / {what_en} listed twice")

    return validate


_check_sizes = _choice_list_validator(CustomerSize, "客户规模", "customer size")
_check_types = _choice_list_validator(CustomerType, "客户类型", "customer type")


def validate_customer_sizes(value) -> None:
    """Product.customer_sizes: a list of CustomerSize values, each once (module-level, so
    migrations can name it)."""
    _check_sizes(value)


def validate_customer_types(value) -> None:
    _check_types(value)


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


class Product(TextLimited):
    """A product of the map's product map (产品图谱)."""

    TEXT_LIMITS = dict.fromkeys(
        ("explanation", "selling_points", "tariff", "how_it_works", "promotion"), 5_000
    )

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
    explanation = models.TextField(
        pgettext_lazy("product map", "explanation"), blank=True, validators=[validate_text]
    )
    selling_points = models.TextField(
        pgettext_lazy("product map", "selling points"), blank=True, validators=[validate_text]
    )
    tariff = models.TextField(pgettext_lazy("product map", "tariff"), blank=True, validators=[validate_text])
    how_it_works = models.TextField(
        pgettext_lazy("product map", "how it works"), blank=True, validators=[validate_text]
    )
    promotion = models.TextField(
        pgettext_lazy("product map", "promotion strategy"), blank=True, validators=[validate_text]
    )
    informatization_level = models.PositiveSmallIntegerField(
        pgettext_lazy("product map", "informatization level"),
        choices=InformatizationLevel.choices,
        default=InformatizationLevel.BASIC,
    )
    # Values of CustomerSize and CustomerType, in the order of their choices.
    customer_sizes = models.JSONField(
        pgettext_lazy("product map", "customer sizes"),
        default=list,
        blank=True,
        validators=[validate_customer_sizes],
    )
    customer_types = models.JSONField(
        pgettext_lazy("product map", "customer types"),
        default=list,
        blank=True,
        validators=[validate_customer_types],
    )
    # An inactive product (停售) stays on its cases and solutions but leaves the map.
    active = models.BooleanField(pgettext_lazy("product map", "on sale"), default=True)
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

    @property
    def selling_point_lines(self) -> list[str]:
        return lines(self.selling_points)


class ProductTariff(TextLimited):
    """A plan of a product's tariff (资费): its name, monthly price in yuan (blank: quoted
    case by case, 面议) and what it includes."""

    TEXT_LIMITS = {"includes": 2_000}

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="tariffs")
    order = models.PositiveSmallIntegerField(pgettext_lazy("product map", "order"), default=1)
    name = models.CharField(pgettext_lazy("product map", "plan"), max_length=100, validators=[validate_text])
    monthly_price = models.DecimalField(
        pgettext_lazy("product map", "monthly price (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    includes = models.TextField(
        pgettext_lazy("product map", "what it includes"), blank=True, validators=[validate_text]
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["product", "name"], name="unique_tariff_name")]
        verbose_name = pgettext_lazy("product map", "tariff plan")
        verbose_name_plural = pgettext_lazy("product map", "tariff plans")

    def __str__(self) -> str:
        return f"{self.product_id} {self.name}"


class ProductActivationStep(TextLimited):
    """A step of a product's activation process (开通流程), in order, with an optional
    screenshot stored as guide images are and served by an access-checked view."""

    TEXT_LIMITS = {"text": 2_000}

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="activation_steps")
    order = models.PositiveSmallIntegerField(pgettext_lazy("product map", "order"), default=1)
    text = models.TextField(pgettext_lazy("product map", "what to do"), validators=[validate_text])
    image = models.FileField(
        pgettext_lazy("product map", "screenshot"), upload_to="products/%Y/%m/", max_length=300, blank=True
    )
    content_type = models.CharField(pgettext_lazy("product map", "media type"), max_length=40, blank=True)
    width = models.PositiveIntegerField(pgettext_lazy("product map", "width"), default=0)
    height = models.PositiveIntegerField(pgettext_lazy("product map", "height"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = pgettext_lazy("product map", "activation step")
        verbose_name_plural = pgettext_lazy("product map", "activation steps")

    def __str__(self) -> str:
        return f"{self.product_id} #{self.order}"

    # image_file_response (downloads.py) reads `file`, as a guide image's.
    @property
    def file(self):
        return self.image


@receiver(post_delete, sender=ProductActivationStep, dispatch_uid="knowledge.activation_step_file")
def _delete_step_image(sender, instance: ProductActivationStep, using, **kwargs) -> None:
    """A step's screenshot goes with its row once the deletion commits."""
    from casspath.knowledge.actions.pdf import delete_files  # actions import this module

    if instance.image.name:
        transaction.on_commit(
            partial(delete_files, instance.image.storage, [instance.image.name]), using=using
        )
