"""Which imports exist. Apps register an `Importer` per kind.

Registration happens in an app's `importers` module or package (found here on first use, as
Django's admin finds `admin.py`) or in its `AppConfig.ready()`. See README.md.
"""

from django.utils.module_loading import autodiscover_modules

from casspath.imports.framework import Importer

_importers: dict[str, Importer] = {}
_discovered = False


class UnknownKind(LookupError):  # noqa: N818 (reads as "unknown kind: x")
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def register(importer: Importer) -> Importer:
    """Register an importer instance under its `kind`; a second registration replaces the first."""
    if not importer.kind:
        raise ValueError("an importer needs a kind")
    _importers[importer.kind] = importer
    return importer


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("importers")


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
