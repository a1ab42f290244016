"""One demo case as data: what `casspath import cases` reads from a row, in its columns'
terms (codes, not objects), so that the demo writes it through the importer."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoCase:
    code: str  # 案例编号
    title: str  # 标题
    point: str  # 知识点: one per case, none twice
    story: str  # 故事: the 小小说, 250–600 characters
    background: str  # 背景
    challenge: str  # 挑战
    actions: str  # 做法
    result: str  # 结果
    tools: str  # 工具
    steps: tuple[str, ...]  # process step codes (knowledge/demo_process.py)
    dimensions: tuple[str, ...]  # D01–D18
    products: tuple[str, ...]  # P01–P22
    industries: tuple[str, ...]  # IND01–IND10
    customer_type: str  # knowledge.models.CustomerType
    customer_size: str  # knowledge.models.CustomerSize
    author: str  # 作者工号 (the demo's employees with --managers 400, seed 1)
    status: str = "published"  # published, or a case still in the workflow (cases_review.py)
    comment: str = ""  # the reviewer's comment of a case sent back for changes
