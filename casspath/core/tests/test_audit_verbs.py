"""Audit verbs are declared per app (`<app>/audit_verbs.py`); `record` takes only those."""

import importlib

import pytest
from django.apps import apps

from casspath.core import audit
from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.imports import registry
from casspath.imports.framework import Importer
from casspath.org.audit_verbs import OrgVerb

ACTOR = SystemActor("test")


def app_verb_classes() -> list[type[audit.AuditVerb]]:
    classes = []
    for config in apps.get_app_configs():
        if not config.name.startswith("casspath."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.audit_verbs")
        except ModuleNotFoundError:
            continue
        classes += [value for value in vars(module).values()
                    if isinstance(value, type) and issubclass(value, audit.AuditVerb)
                    and value is not audit.AuditVerb]
    return classes


@pytest.mark.django_db
def test_it_refuses_a_verb_given_as_a_plain_string():
    with pytest.raises(TypeError, match="not declared"):
        # The wrong type on purpose: a plain string must be refused at run time too.
        audit.record(ACTOR, "org.issue_logins", summary="made up at the call site")  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_it_stores_a_declared_verb_as_the_string_existing_rows_hold():
    event = audit.record(ACTOR, OrgVerb.ISSUE_LOGINS, summary="x")
    event.refresh_from_db()
    assert event.verb == "org.issue_logins" and type(event.verb) is str
    assert AuditEvent.objects.filter(verb="org.issue_logins").count() == 1


def test_it_declares_every_stored_string_once_across_the_apps():
    classes = app_verb_classes()
    assert {cls.__module__.split(".")[1] for cls in classes} >= {"core", "api", "imports", "org",
                                                                "competency", "site"}
    values = [member.value for cls in classes for member in cls]
    assert len(values) == len(set(values))
    assert set(values) <= set(audit.declared_verbs())


class _Probe(Importer):
    kind = "probe"
    label = "probe"

    def template(self) -> bytes:
        return b""

    def run(self, data, ctx):
        raise AssertionError("a probe that is never registered never runs")


def test_it_refuses_to_register_an_importer_whose_verb_is_a_string():
    probe = _Probe()
    probe.audit_verb = "import.probe"  # type: ignore[assignment]  # the wrong type on purpose, to be refused
    with pytest.raises(TypeError, match="audit_verb"):
        registry.register(probe)
    assert "probe" not in registry.kinds()


def test_it_refuses_to_register_an_exporter_without_an_export_verb():
    probe = _Probe()
    probe.audit_verb = OrgVerb.IMPORT_ROSTER
    probe.can_export = True
    with pytest.raises(TypeError, match="export_verb"):
        registry.register(probe)
    assert "probe" not in registry.kinds()


def test_it_gives_every_registered_importer_declared_verbs():
    for importer in registry.importers():
        assert isinstance(importer.audit_verb, audit.AuditVerb), importer.kind
        assert not importer.can_export or isinstance(importer.export_verb, audit.AuditVerb), importer.kind
