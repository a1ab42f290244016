"""Which imports exist. Apps register an `Importer` per kind.

Registration happens in an app's `importers` module or package (found here on first use, as
Django's admin finds `admin.py`) or in its `AppConfig.ready()`. See README.md.
"""

import threading

from django.utils.module_loading import autodiscover_modules

from casspath.core.audit import AuditVerb
from casspath.imports.framework import Importer

_importers: dict[str, Importer] = {}
_discovered = False
_discovering = threading.RLock()


class UnknownKind(LookupError):  # noqa: N818 (reads as "unknown kind: x")
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def register(importer: Importer) -> Importer:
    """Register an importer instance under its `kind`; a second registration replaces the first.
    Its audit verbs must be declared ones (the audit log lists them), not strings."""
    if not importer.kind:
        raise ValueError("an importer needs a kind")
    if not isinstance(getattr(importer, "audit_verb", None), AuditVerb):
        raise TypeError(f"importer {importer.kind!r} needs an audit_verb declared in its app's "
                        "audit_verbs.py")
    if importer.can_export and not isinstance(importer.export_verb, AuditVerb):
        raise TypeError(f"importer {importer.kind!r} exports, so it needs a declared export_verb")
    _importers[importer.kind] = importer
    return importer


def _discover() -> None:
    """Import the apps' importers once. Threads (the consumer's workers) asking meanwhile
    wait for it: before, the second one was told its kind did not exist."""
    global _discovered
    if _discovered:
        return
    with _discovering:
        if not _discovered:
            autodiscover_modules("importers")
            _discovered = True


def get(kind: str) -> Importer:
    _discover()
    try:
        return _importers[kind]
    except KeyError:
        raise UnknownKind(kind) from None


def kinds() -> list[str]:
    """Registered kinds, in registration order."""
    _discover()
    return list(_importers)


def importers() -> list[Importer]:
    _discover()
    return list(_importers.values())
