"""Default value lists (CONTRACTS.md): positions, growth stages and grades; configurable
afterwards in the UI and admin."""

# code, name, English name, counted as a sales position
POSITIONS = [
    ("account_manager", "客户经理", "account manager", True),
    ("enterprise_account_manager", "集团客户经理", "enterprise account manager", True),
    ("industry_manager", "行业经理", "industry manager", True),
    ("product_manager", "产品经理", "product manager", False),
    ("team_lead", "班组长", "team lead", False),
]


def ensure_positions(Position) -> None:
    for order, (code, name, name_en, is_sales) in enumerate(POSITIONS):
        Position.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "order": order, "is_sales": is_sales})

# code, name, English name, from year, before year
STAGES = [
    ("growth", "成长期", "growth", 0, 2),
    ("development", "发展期", "development", 2, 5),
    ("maturity", "成熟期", "maturity", 5, None),
]
# code, name, English name
GRADES = [
    ("junior", "初级", "junior"),
    ("intermediate", "中级", "intermediate"),
    ("senior", "高级", "senior"),
    ("expert", "资深", "expert"),
]


def ensure_value_lists(Stage, Grade) -> None:
    """Create the defaults that are missing; used by the data migration and tests."""
    for order, (code, name, name_en, lower, upper) in enumerate(STAGES):
        Stage.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "min_years": lower, "max_years": upper,
            "order": order})
    for order, (code, name, name_en) in enumerate(GRADES):
        Grade.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "order": order})
