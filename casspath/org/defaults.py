"""Default positions (CONTRACTS.md); configurable afterwards."""

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
