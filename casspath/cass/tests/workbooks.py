"""Workbooks for the CASS import tests, written as a user would (openpyxl, Chinese headers)."""

import io
from typing import Any

from openpyxl import Workbook

ITEMS: list[list[Any]] = [
    ["工作编码", "名称", "描述", "重要性", "频率", "适用阶段", "适用岗位"],
    ["W01", "寻找目标客户", "园区、楼宇扫楼", 5, 4, "成长期；发展期", "客户经理"],
    ["W02", "客户需求调研", "", 4, 3, "growth", ""],
]
ACTIONS: list[list[Any]] = [
    ["动作编码", "工作编码", "序号", "名称", "完成标准", "常见错误", "学习模式", "检验方式"],
    [
        "A0101",
        "W01",
        1,
        "梳理园区企业名单",
        "名单覆盖园区 80% 的企业",
        "只看大企业",
        "班前学；途中学",
        "学后测",
    ],
    ["A0102", "W01", 2, "电话预约", "三天内约到 5 家", "", "pre_shift", "随机测, 主管观察"],
    ["A0201", "W02", 1, "需求访谈", "访谈记录完整", "", "面授", ""],
]
SKILLS: list[list[Any]] = [
    ["动作编码", "维度编码", "等级"],
    ["A0101", "D01", 3],
    ["A0101", "D07", 2],
    ["A0102", "D01", 2],
    ["A0201", "D05", 3],
]
RESOURCES: list[list[Any]] = [
    [
        "资源编码",
        "类型",
        "标题",
        "简介",
        "时长(分钟)",
        "适用设备",
        "学习模式",
        "维度与等级",
        "工作编码",
        "动作编码",
        "状态",
    ],
    [
        "R001",
        "文章",
        "园区扫楼三步法",
        "三步找到园区客户",
        5,
        "手机；电脑",
        "班前学",
        "D01:3；D07:2",
        "W01",
        "A0101",
        "已发布",
    ],
    ["R002", "微视频", "电话预约话术", "", 3, "手机", "途中学", "D01:2", "W01", "A0102", "已发布"],
    ["R003", "课程", "需求访谈工作坊", "", 120, "打印", "面授", "D05:3", "W02", "A0201", "草稿"],
]


def workbook(items=None, actions=None, skills=None, resources=None, *, only=None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    sheets = {
        "工作内容": items or ITEMS,
        "关键动作": actions or ACTIONS,
        "动作技能": skills or SKILLS,
        "学习资源": resources or RESOURCES,
    }
    for name, rows in sheets.items():
        if only is not None and name not in only:
            continue
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CARDS: list[list[Any]] = [
    ["卡片编码", "问题", "回答", "维度", "工作编码", "产品编码", "标签"],
    [
        "QA001",
        "专线和宽带有什么区别？",
        "专线独享带宽、上下行对称，有服务等级保障；宽带是共享的。",
        "D07",
        "W01",
        "DL-100",
        "专线；宽带",
    ],
    [
        "QA002",
        "物联网卡能停机保号吗？",
        "可以，按月收取保号费，随时可以复机。",
        "D07:2",
        "",
        "IOT-CARD",
        "物联网",
    ],
    ["QA003", "Can I try cloud first?", "Yes: a 30-day free trial with no deposit.", "", "", "", ""],
]


def card_file(rows=None, *, csv: bool = False) -> bytes:
    rows = rows or CARDS
    if csv:
        return "\n".join(",".join(str(c) for c in row) for row in rows).encode("utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = "问答卡"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
