"""Finds what each installed app contributes, the way Django's admin finds `admin.py`:
by module name, in INSTALLED_APPS order (which is the layer order, floor first)."""

from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from casspath.core.parts import HomeCard, MenuEntry


def app_modules(name: str) -> list[tuple[str, ModuleType]]:
    """(app label, module) for every casspath app that has a `<app>.<name>` module."""
    found = []
    for config in apps.get_app_configs():
        ours = config.name.startswith("casspath.") and config.name != __package__
        if ours and module_has_submodule(config.module, name):
            found.append((config.label, import_module(f"{config.name}.{name}")))
    return found


@cache
def menu_entries() -> list[MenuEntry]:
    entries = [entry for _label, module in app_modules("site") for entry in getattr(module, "MENU", [])]
    return sorted(entries, key=lambda entry: entry.order)  # stable: app order breaks ties


@cache
def home_cards() -> list[HomeCard]:
    cards = [card for _label, module in app_modules("site") for card in getattr(module, "HOME_CARDS", [])]
    names = [card.name for card in cards]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"two home cards share a name: {', '.join(duplicates)}")
    return sorted(cards, key=lambda card: card.order)
