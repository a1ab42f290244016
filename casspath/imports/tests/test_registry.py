"""The registry of import kinds, as the background consumer's workers use it."""

import threading

from casspath.imports import registry


def test_it_a_worker_asking_for_a_kind_while_another_discovers_them_waits_for_the_discovery(monkeypatch):
    # Two consumer workers start their first imports at once: the second one asked while
    # the first was still importing the apps' importers, and was told "unknown kind roster".
    roster = registry.get("roster")
    monkeypatch.setattr(registry, "_importers", {})
    monkeypatch.setattr(registry, "_discovered", False)
    answers: list = []

    def second_worker() -> None:
        try:
            answers.append(registry.get("roster"))
        except registry.UnknownKind as unknown:
            answers.append(unknown)

    def discovery_that_takes_a_while(module_name: str) -> None:
        other = threading.Thread(target=second_worker)
        other.start()
        other.join(timeout=0.5)  # it asks while this discovery runs
        registry.register(roster)
        discovery_that_takes_a_while.other = other  # type: ignore[attr-defined]

    monkeypatch.setattr(registry, "autodiscover_modules", discovery_that_takes_a_while)
    assert registry.get("roster") is roster
    discovery_that_takes_a_while.other.join(timeout=30)  # type: ignore[attr-defined]
    assert answers == [roster]
