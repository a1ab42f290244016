"""The demo's case library (案例地图): 47 published cases spread over the steps of the demo
process map (knowledge/demo_process.py), a few steps with three or more so that a step's
cases are ranked, and four still in the workflow (two in review, one sent back with a
reviewer's comment, one draft). Each is written on its own as the seeds' 小小说: one
knowledge point, a named account manager of the Guangzhou, Foshan or Dongguan branch (the
demo's employees with --managers 400, seed 1: the author is the one the story is about), a
concrete customer, obstacle, action and result."""

from casspath.knowledge.demo_data import (
    cases_accounts,
    cases_delivery,
    cases_proposals,
    cases_prospecting,
    cases_review,
    cases_visits,
)
from casspath.knowledge.demo_data.case_spec import DemoCase

PUBLISHED: tuple[DemoCase, ...] = (
    cases_prospecting.CASES
    + cases_visits.CASES
    + cases_proposals.CASES
    + cases_delivery.CASES
    + cases_accounts.CASES
)
IN_WORKFLOW: tuple[DemoCase, ...] = cases_review.CASES
CASES: tuple[DemoCase, ...] = PUBLISHED + IN_WORKFLOW

__all__ = ["CASES", "IN_WORKFLOW", "PUBLISHED", "DemoCase"]
