"""What the competency app says when it refuses: always in Chinese and English."""

from casspath.core.errors import BilingualError
from casspath.core.errors import InvalidTransition as BaseInvalidTransition
from casspath.imports.errors import ImportFileError, RowError


class CompetencyError(BilingualError):
    """A refused action on a model, with a message in both languages."""


class ModelNotEditable(CompetencyError):
    """Only a draft version may be edited: a published one is in use."""


class InvalidTransition(CompetencyError, BaseInvalidTransition):
    """A status change that TRANSITIONS does not allow (the one core InvalidTransition, as a
    competency refusal)."""


class ModelDataError(CompetencyError):
    """A model's content is invalid. `errors` lists every problem as
    (where, reason_zh, reason_en), `where` naming the place in the data."""

    def __init__(self, errors: list[tuple[str, str, str]]):
        self.errors = list(errors)
        super().__init__(
            f"模型数据有 {len(self.errors)} 处错误", f"{len(self.errors)} problems in the model data"
        )

    def __str__(self) -> str:
        lines = [f"{where}: {zh} / {en}" for where, zh, en in self.errors]
        return f"{self.message_zh} / {self.message_en}:\n" + "\n".join(lines)


class WeightsNotAcknowledged(CompetencyError):
    """Publishing a model some of whose stage or grade weights do not add up to 100 %,
    without the publisher's explicit "publish anyway". `columns` names each as
    (name, English name, total as text)."""

    def __init__(self, columns: list[tuple[str, str, str]]):
        self.columns = list(columns)
        listed = "、".join(f"{name} {total}%" for name, _en, total in self.columns)
        listed_en = ", ".join(f"{en} {total}%" for _name, en, total in self.columns)
        super().__init__(
            f"以下阶段或职级的权重合计不是 100%：{listed}；请修正，或勾选“仍然发布”后再发布",
            f"the weights of these stages or grades do not add up to 100%: {listed_en}; "
            "correct them, or tick “publish anyway” to publish",
        )


class CompetencyImportInvalid(ImportFileError):
    """An Excel model file that was read but holds bad cells: every one in `errors`."""

    def __init__(self, errors: list[RowError]):
        self.errors = list(errors)
        super().__init__(
            f"文件中有 {len(self.errors)} 处错误，未导入任何内容",
            f"{len(self.errors)} bad cells in the file; nothing was imported",
        )
