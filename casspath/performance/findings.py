"""The plain-language finding of each tier (issue 7): what holds it back, in Chinese and in
English, from its leading bottlenecks (analytics.bottlenecks.leading: the sure shortfalls
near the largest). Stored with the figures, as the method notes are, so a snapshot reads the
same in either language whatever the site's translations later say."""

from casspath.analytics.bottlenecks import TierBottlenecks, leading
from casspath.analytics.tiers import Tier

TIER_NAMES = {Tier.HIGH: ("绩优", "High performers"), Tier.MIDDLE: ("绩中", "Middle performers"),
              Tier.LOW: ("绩差", "Low performers")}


def tier_finding(tier: TierBottlenecks, names: dict[str, tuple[str, str]], *,
                 tentative: bool = False) -> dict[str, str]:
    """{"zh", "en"}: e.g. 绩差客户经理（120 人）主要卡在 目标客户寻找、客户关系建立。

    `tentative` (too few people, analytics.diagnosis.small_sample_caution): the same gaps,
    said as a lead to check ("可能卡在", "may be held back"), not as a finding."""
    zh_tier, en_tier = TIER_NAMES[tier.tier]
    who_zh, who_en = f"{zh_tier}客户经理（{tier.count} 人）", f"{en_tier} ({tier.count})"
    if tier.count == 0:
        return {"zh": f"本期没有{zh_tier}客户经理。", "en": f"No {en_tier.lower()} in this period."}
    if tier.reference == "none":
        return {"zh": f"{who_zh}：模型没有适用的岗位要求，无从比较。",
                "en": f"{who_en}: the model sets no requirement to compare them with."}
    if tier.reference == "tier_above" and tier.tier.above is not None:
        against_zh, against_en = TIER_NAMES[tier.tier.above][0], TIER_NAMES[tier.tier.above][1].lower()
    else:
        against_zh, against_en = "岗位要求", "their requirement"
    gaps = leading(tier.ranking)
    if not gaps:
        return {"zh": f"{who_zh}与{against_zh}相比没有可确认的能力短板（差距不显著或评价人数不足）。",
                "en": f"{who_en} show no shortfall against {against_en} that the data can confirm "
                      "(gaps too small, or too few rated)."}
    zh_names = "、".join(names.get(gap.dimension, (gap.dimension, gap.dimension))[0] for gap in gaps)
    en_names = _and([names.get(gap.dimension, (gap.dimension, gap.dimension))[1] or gap.dimension
                     for gap in gaps])
    effects = "、".join(f"{gap.effect:.2f}" for gap in gaps)
    en_effects = effects.replace("、", ", ")
    if tentative:
        if tier.reference == "requirement":
            return {"zh": f"{who_zh}离岗位要求差距最大的可能是 {zh_names}（标准化差距 {effects}）；"
                          "人数太少，只能作为线索，有待更多数据确认。",
                    "en": f"{who_en} may fall furthest short of their requirement on {en_names} "
                          f"(standardised gap {en_effects}); too few people to be sure: a lead to check."}
        return {"zh": f"{who_zh}可能卡在 {zh_names}（与{against_zh}相比标准化差距 {effects}）；"
                      "人数太少，只能作为线索，有待更多数据确认。",
                "en": f"{who_en} may be held back by {en_names} (standardised gap against {against_en} "
                      f"{en_effects}); too few people to be sure: a lead to check."}
    if tier.reference == "requirement":
        return {"zh": f"{who_zh}离岗位要求差距最大的是 {zh_names}（标准化差距 {effects}）。",
                "en": f"{who_en} fall furthest short of their requirement on {en_names} "
                      f"(standardised gap {en_effects})."}
    return {"zh": f"{who_zh}主要卡在 {zh_names}：与{against_zh}相比差距最大（标准化差距 {effects}）。",
            "en": f"{who_en} are held back most by {en_names}: furthest behind {against_en} "
                  f"(standardised gap {effects.replace('、', ', ')})."}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
