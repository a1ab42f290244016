"""The only way views and endpoints load what performance reads: scope-checked through
`org/scopes.py`. A unit's performance is for those who may run the diagnosis over it
(CONTRACTS.md, "Roles": team lead for his team, admin, consultant and analyst in scope);
the same 404 for "absent" and "not yours"."""

from django.db.models import FloatField, IntegerField, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import Http404

from casspath.org import scopes
from casspath.org.access import access_employee_by_no, access_unit_by_code
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm
from casspath.performance.models import DiagnosisMember, DiagnosisSnapshot


def access_unit_performance(user, code: str) -> OrgUnit:
    """The unit named by `code` whose people's performance `user` may read, else Http404."""
    return access_unit_by_code(user, code, Perm.SEE_REPORTS)


def access_diagnosis(user, pk: int) -> DiagnosisSnapshot:
    """A diagnosis (snapshot or job) of a unit where `user` may see reports, else Http404."""
    snapshot = DiagnosisSnapshot.objects.select_related("org_unit").filter(pk=pk).first()
    if snapshot is None or not scopes.unit_in_scope(user, Perm.SEE_REPORTS, snapshot.org_unit):
        raise Http404("no such diagnosis")
    return snapshot


def may_cancel_diagnosis(user, snapshot: DiagnosisSnapshot) -> bool:
    """Who may stop a diagnosis still queued or running: the one who ran it (while he may
    see the unit's reports), and the unit's training admins (IMPORT_DATA: they own the data
    it reads). An analyst or a consultant may not stop another's run."""
    if not scopes.unit_in_scope(user, Perm.SEE_REPORTS, snapshot.org_unit):
        return False
    ran_it = getattr(user, "pk", None) is not None and snapshot.created_by_id == user.pk
    return ran_it or scopes.unit_in_scope(user, Perm.IMPORT_DATA, snapshot.org_unit)


def access_diagnosis_member(user, snapshot: DiagnosisSnapshot, employee_no: str) -> DiagnosisMember:
    """The member `employee_no` of `snapshot` (accessed through `access_diagnosis`), for one who
    may see him as an employee and see his reports (the tier's page lists those he may see;
    his output and levels are reports), else Http404: one moved out of the viewer's scope
    since the diagnosis is out of sight, as on the tier's page."""
    employee = access_employee_by_no(user, employee_no, Perm.VIEW_EMPLOYEES)
    if not scopes.employee_in_scope(user, Perm.SEE_REPORTS, employee):
        raise Http404("no such member")
    member = DiagnosisMember.objects.filter(snapshot=snapshot, employee=employee).first()
    if member is None:
        raise Http404("no such member")
    member.employee = employee
    return member


def unit_diagnoses(user, unit: OrgUnit) -> QuerySet[DiagnosisSnapshot]:
    """Every diagnosis of `unit` (accessed through `access_unit_performance`) and of the units
    below it that `user` may see reports of, whatever its status, newest first: the unit's
    page lists the running and failed ones too, and the one just run for a sub-unit."""
    if not scopes.unit_in_scope(user, Perm.SEE_REPORTS, unit):
        raise Http404("no such unit")
    return _listed(DiagnosisSnapshot.objects.filter(
        org_unit__path__startswith=unit.path,
        org_unit__in=scopes.units_for(user, Perm.SEE_REPORTS)))


def _listed(snapshots: QuerySet[DiagnosisSnapshot]) -> QuerySet[DiagnosisSnapshot]:
    """For a list: the figures left in the database (tens of kilobytes each), their headcount
    and Gini read out of them there."""
    return (snapshots.select_related("org_unit", "created_by").defer("figures")
            .annotate(headcount=Cast(KT("figures__headcount"), IntegerField()),
                      gini=Cast(KT("figures__gini"), FloatField())))


def diagnoses_in_scope(user) -> QuerySet[DiagnosisSnapshot]:
    """The stored (succeeded) diagnoses of every unit where `user` may see reports, newest
    first: what the comparison offers and the home card counts."""
    units = scopes.units_for(user, Perm.SEE_REPORTS)
    return _listed(DiagnosisSnapshot.objects.filter(org_unit__in=units,
                                                    status=DiagnosisSnapshot.Status.SUCCEEDED))
