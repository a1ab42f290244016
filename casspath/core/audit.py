"""The audit log: every action writes one row through `record`."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils.translation import get_language, gettext

from casspath.core.actors import SystemActor, actor_label
from casspath.core.models import AuditEvent


class AuditVerb(StrEnum):
    """What an audit row says happened. Each app declares its verbs as a subclass in its
    `audit_verbs.py`; `record` takes only their members, so a verb is never misspelt or
    made up at a call site, and the verbs there are can be listed (`declared_verbs`).
    A member's value is the string stored in the row: rename members freely, never values.
    Each member also has a `label`, what the audit page shows in the reader's language:
    `NAME = "app.verb", _("Label")`."""

    label: Any

    def __new__(cls, value: str, label: Any = ""):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value
        return member


def verb_label(stored: str) -> Any:
    """The label of a stored verb string; the string itself for a verb no longer declared
    (old rows stay readable)."""
    verb = declared_verbs().get(stored)
    return verb.label if verb is not None else stored


def declared_verbs() -> dict[str, AuditVerb]:
    """Every verb the installed apps declare, by its stored string."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("audit_verbs")  # imported once; later calls find them in sys.modules
    verbs: dict[str, AuditVerb] = {}
    pending = list(AuditVerb.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        verbs.update({member.value: member for member in cls})
    return verbs


@dataclass(frozen=True)
class Phrase:
    """A summary worded in English and rendered in the reader's language when the row is
    read: `msgid` is marked for translation where it is written (`gettext_noop`), with
    %(name)s placeholders filled from `params` (data: codes, names, counts)."""

    msgid: str
    params: dict

    def english(self) -> str:
        return self.msgid % self.params


@dataclass(frozen=True)
class Bilingual:
    """A summary given in both languages already (a BilingualError's messages)."""

    zh: str
    en: str


def phrase(msgid: str, **params) -> Phrase:
    return Phrase(msgid, params)


def shown_summary(summary: str, summary_i18n: dict | None) -> str:
    """A row's summary in the active language; the stored English for rows without a
    phrase (those written before, and summaries made of data only)."""
    if not summary_i18n:
        return summary
    if "msgid" in summary_i18n:
        try:
            return gettext(summary_i18n["msgid"]) % summary_i18n.get("params", {})
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return summary
    if get_language() == "zh-hans" and summary_i18n.get("zh"):
        return summary_i18n["zh"]
    return summary


def record(acting_user, verb: AuditVerb, obj: Any = None, *, summary: str | Phrase | Bilingual = "",
           changes: dict | None = None, object_type: str = "", object_id: str = "",
           unit: Any = None) -> AuditEvent:
    """One audit row. `unit` is the org unit the write concerns (anything with `.path` and
    `.pk`: an OrgUnit, or a `UnitRef` where only the values are at hand); the audit page
    shows a row to those whose scope holds that unit."""
    if not isinstance(verb, AuditVerb):
        raise TypeError(f"audit verb {verb!r} is not declared: use a member of an app's AuditVerb "
                        "(its audit_verbs.py)")
    summary_i18n: dict = {}
    if isinstance(summary, Phrase):
        summary_i18n = {"msgid": summary.msgid, "params": summary.params}
        summary = summary.english()
    elif isinstance(summary, Bilingual):
        summary_i18n = {"zh": summary.zh[:300]}
        summary = summary.en
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        actor=None if isinstance(acting_user, SystemActor) else acting_user,
        actor_label=actor_label(acting_user),
        verb=verb.value,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        summary_i18n=summary_i18n,
        changes=changes or {},
        org_unit_path=getattr(unit, "path", "") or "",
        org_unit_id=getattr(unit, "pk", None),
    )


def object_type_label(stored: str) -> Any:
    """What an object type ("org.employee") is called in the reader's language: the model's
    verbose name; the string itself for no model (old rows, "imports.kind")."""
    from django.apps import apps
    from django.utils.translation import gettext_lazy as _

    if stored == "imports.kind":
        return _("import kind")
    try:
        return apps.get_model(stored)._meta.verbose_name
    except (LookupError, ValueError):
        return stored


def audited_object_types() -> list[str]:
    """The object types audit rows may name: casspath's models, and the import kinds."""
    from django.apps import apps

    types = [model._meta.label_lower for model in apps.get_models()
             if model.__module__.startswith("casspath.")]
    return sorted({*types, "imports.kind"})


@dataclass(frozen=True)
class UnitRef:
    """An org unit by its values, for callers below org (the import framework)."""

    pk: int
    path: str


def diff(obj, new_values: dict) -> dict:
    """The fields of `obj` that `new_values` would change, as {field: [old, new]}."""
    changed = {}
    for field, new in new_values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [_jsonable(old), _jsonable(new)]
    return changed


def _jsonable(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "pk"):
        return str(value)
    return str(value)
