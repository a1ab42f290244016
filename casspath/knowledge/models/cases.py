"""The case library (案例地图): success cases written as short stories (小小说), one knowledge
point each, tagged to the process map's steps, dimensions, products and industries.

A manager writes his own case and submits it; a consultant or training admin who may edit
the map reviews it: edits it, asks for changes with a comment, or publishes it. The author
sees the comments, changes the case and submits it again. The states and the moves between
them are data (CASE_TRANSITIONS, as core/jobs.py does for jobs); the actions refuse any
other move with the one InvalidTransition. A published case becomes a learning resource of
kind case (cass.Resource, one to one) with its reading time; until then it is seen by its
author and its reviewers only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from casspath.core.storage import private_storage
from casspath.core.validators import TextLimited, validate_code, validate_text
from casspath.knowledge.models.products import CustomerSize, CustomerType


class CaseStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("case status", "draft")
    IN_REVIEW = "in_review", pgettext_lazy("case status", "in review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("case status", "changes requested")
    PUBLISHED = "published", pgettext_lazy("case status", "published")
    RETIRED = "retired", pgettext_lazy("case status", "retired")


# What the actor is to the case: its author (his employee record wrote it) and a reviewer
# (he may edit its map: access.py decides both).
AUTHOR, REVIEWER = "author", "reviewer"

# Each move and who may make it: the roles the actor must hold on the case, all of them. The
# author submits (and resubmits what was sent back); a reviewer asks for changes, publishes
# what was sent to him, retires and publishes again. A draft is published directly only by
# an author who is a reviewer too (a consultant writing a case himself); another author's
# draft, never submitted, is not the reviewer's to publish. A published case goes back to
# review only by retiring.
CASE_MOVES: dict[tuple[str, str], frozenset[str]] = {
    (CaseStatus.DRAFT, CaseStatus.IN_REVIEW): frozenset({AUTHOR}),
    (CaseStatus.DRAFT, CaseStatus.PUBLISHED): frozenset({AUTHOR, REVIEWER}),
    (CaseStatus.IN_REVIEW, CaseStatus.CHANGES_REQUESTED): frozenset({REVIEWER}),
    (CaseStatus.IN_REVIEW, CaseStatus.PUBLISHED): frozenset({REVIEWER}),
    (CaseStatus.CHANGES_REQUESTED, CaseStatus.IN_REVIEW): frozenset({AUTHOR}),
    (CaseStatus.PUBLISHED, CaseStatus.RETIRED): frozenset({REVIEWER}),
    (CaseStatus.RETIRED, CaseStatus.PUBLISHED): frozenset({REVIEWER}),
}
# The moves from each status, whoever makes them (CASE_MOVES' pairs).
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    status: frozenset(to for (start, to) in CASE_MOVES if start == status) for status in CaseStatus
}


def may_move(roles: set[str] | frozenset[str], start: str, to: str) -> bool:
    """Whether an actor holding `roles` on a case in `start` may move it to `to`."""
    needed = CASE_MOVES.get((start, to))
    return needed is not None and needed <= roles


# Who may discard (delete) a case in each status, any one of the roles: only a case never
# published, which no reader has had. Its author discards his draft, or withdraws one sent
# for review or sent back; a reviewer one sent to him (a submission that is no case at all).
# A published case is retired instead: its readers' marks and its learning resource remain.
CASE_DISCARDS: dict[str, frozenset[str]] = {
    CaseStatus.DRAFT: frozenset({AUTHOR}),
    CaseStatus.IN_REVIEW: frozenset({AUTHOR, REVIEWER}),
    CaseStatus.CHANGES_REQUESTED: frozenset({AUTHOR, REVIEWER}),
}


def may_discard(roles: set[str] | frozenset[str], status: str) -> bool:
    """Whether an actor holding `roles` on a case in `status` may delete it (CASE_DISCARDS)."""
    return bool(CASE_DISCARDS.get(status, frozenset()) & roles)


# A story is a 小小说 of a few hundred to a few thousand characters: room for a long one; the
# parts after it are paragraphs.
CASE_STORY_MAX = 20_000
CASE_PART_MAX = 5_000
CASE_COMMENT_MAX = 4_000


class Case(TextLimited):
    """A team-learning case (班组学习案例) of a CASS map's case library."""

    TEXT_LIMITS = {
        "story": CASE_STORY_MAX,
        **dict.fromkeys(("background", "challenge", "actions", "result", "tools"), CASE_PART_MAX),
    }

    cass_map = models.ForeignKey(
        "cass.CassMap",
        on_delete=models.CASCADE,
        related_name="cases",
        verbose_name=pgettext_lazy("case", "CASS map"),
    )
    # 案例编号: the natural key of `casspath import cases`.
    code = models.CharField(pgettext_lazy("case", "case code"), max_length=30, validators=[validate_code])
    title = models.CharField(pgettext_lazy("case", "title"), max_length=200, validators=[validate_text])
    knowledge_point = models.CharField(
        pgettext_lazy("case", "knowledge point"), max_length=200, validators=[validate_text]
    )
    story = models.TextField(pgettext_lazy("case", "story"), validators=[validate_text])
    background = models.TextField(pgettext_lazy("case", "background"), blank=True, validators=[validate_text])
    challenge = models.TextField(pgettext_lazy("case", "challenge"), blank=True, validators=[validate_text])
    actions = models.TextField(pgettext_lazy("case", "what was done"), blank=True, validators=[validate_text])
    result = models.TextField(pgettext_lazy("case", "result"), blank=True, validators=[validate_text])
    tools = models.TextField(pgettext_lazy("case", "tools used"), blank=True, validators=[validate_text])
    steps = models.ManyToManyField(
        "knowledge.ProcessStep",
        blank=True,
        related_name="cases",
        verbose_name=pgettext_lazy("case", "process steps"),
    )
    # Codes of the map's competency model, as ProcessStep.dimension_codes.
    dimension_codes = models.JSONField(pgettext_lazy("case", "dimensions"), default=list, blank=True)
    products = models.ManyToManyField(
        "knowledge.Product", blank=True, related_name="cases", verbose_name=pgettext_lazy("case", "products")
    )
    industries = models.ManyToManyField(
        "knowledge.Industry",
        blank=True,
        related_name="cases",
        verbose_name=pgettext_lazy("case", "industries"),
    )
    customer_type = models.CharField(
        pgettext_lazy("case", "customer type"), max_length=20, choices=CustomerType.choices, blank=True
    )
    customer_size = models.CharField(
        pgettext_lazy("case", "customer size"), max_length=20, choices=CustomerSize.choices, blank=True
    )
    # Credited on the page; an imported case may name an employee with no login.
    author = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=pgettext_lazy("case", "author"),
    )
    status = models.CharField(
        pgettext_lazy("case", "status"),
        max_length=20,
        choices=CaseStatus.choices,
        default=CaseStatus.DRAFT,
        db_index=True,
    )
    # The reviewer's pick (推荐): one of the terms of the rule that orders a step's cases.
    picked = models.BooleanField(pgettext_lazy("case", "reviewer's pick"), default=False)
    # Set at the first publication; kept (retired) when the case is retired.
    resource = models.OneToOneField(
        "cass.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
        verbose_name=pgettext_lazy("case", "learning resource"),
    )
    created_at = models.DateTimeField(pgettext_lazy("case", "created"), default=timezone.now)
    updated_at = models.DateTimeField(pgettext_lazy("case", "changed"), default=timezone.now)
    submitted_at = models.DateTimeField(pgettext_lazy("case", "submitted"), null=True, blank=True)
    published_at = models.DateTimeField(pgettext_lazy("case", "published"), null=True, blank=True)

    TRANSITIONS = CASE_TRANSITIONS

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cass_map", "code"], name="unique_case_code"),
        ]
        verbose_name = pgettext_lazy("case", "case")
        verbose_name_plural = pgettext_lazy("case", "cases")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CaseComment(TextLimited):
    """A reviewer's comment (asking for a change) or the author's reply, in order."""

    TEXT_LIMITS = {"text": CASE_COMMENT_MAX}

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=pgettext_lazy("case", "written by"),
    )
    author_label = models.CharField(pgettext_lazy("case", "written by"), max_length=150, blank=True)
    text = models.TextField(pgettext_lazy("case", "comment"), validators=[validate_text])
    # The status the case moved to with this comment (changes requested, published…), if any.
    status = models.CharField(
        pgettext_lazy("case", "status"), max_length=20, choices=CaseStatus.choices, blank=True
    )
    created_at = models.DateTimeField(pgettext_lazy("case", "written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("case", "comment")
        verbose_name_plural = pgettext_lazy("case", "comments")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.text[:40]}"


def _attachment_name(attachment: "CaseAttachment", name: str) -> str:
    return f"cases/{attachment.case_id}/{name}"


class CaseAttachment(models.Model):
    """A file a case comes with (a photo, the proposal, a slide deck), checked on upload."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        pgettext_lazy("case", "file"), upload_to=_attachment_name, storage=private_storage, max_length=200
    )
    name = models.CharField(pgettext_lazy("case", "file name"), max_length=200, validators=[validate_text])
    content_type = models.CharField(pgettext_lazy("case", "media type"), max_length=100)
    size = models.PositiveBigIntegerField(pgettext_lazy("case", "size in bytes"), default=0)
    created_at = models.DateTimeField(pgettext_lazy("case", "added"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("case", "attachment")
        verbose_name_plural = pgettext_lazy("case", "attachments")

    def __str__(self) -> str:
        return self.name


class CaseUseful(models.Model):
    """A reader marked the case useful (有用): once per reader, taken back by removing the row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="useful_marks")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(pgettext_lazy("case", "marked"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_case_useful")]
        verbose_name = pgettext_lazy("case", "useful mark")
        verbose_name_plural = pgettext_lazy("case", "useful marks")

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.user_id}"


class CaseRead(models.Model):
    """A reader opened the published case (once per reader): the readers the useful marks are
    counted against when a step's cases are ordered (casspath.analytics.cases)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(pgettext_lazy("case", "first read"), default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_case_read")]
        verbose_name = pgettext_lazy("case", "reader")
        verbose_name_plural = pgettext_lazy("case", "readers")

    def __str__(self) -> str:
        return f"{self.case_id} ← {self.user_id}"
