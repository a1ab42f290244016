"""Logins for the employees of a unit, issued in batches: queued, run by a worker (or the
command line), their passwords written to a file the issuing admin downloads once."""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_noop

from casspath.api.actions import REVOKED_LOGIN_REISSUED, REVOKED_ROLE_LOST, do_revoke_tokens_of
from casspath.core import audit, jobs
from casspath.core.actors import SystemActor
from casspath.core.errors import BilingualError
from casspath.core.models import User
from casspath.org import scopes
from casspath.org.actions.login_files import LOGIN_FILES_SUBDIR, login_files_dir, write_logins_file
from casspath.org.audit_verbs import OrgVerb
from casspath.org.models import Employee, LoginBatch, OrgUnit, Position, Role, RoleAssignment
from casspath.org.scopes import Perm, require_scope

# Readable one-time passwords: no 0/O, 1/l/I look-alikes.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105
PASSWORD_GROUPS, PASSWORD_GROUP_LENGTH = 3, 4  # "abcd-EFGH-2345": 12 random characters
# Passwords are hashed in chunks of this many logins; the progress is committed after each.
LOGIN_CHUNK_SIZE = 25
BULK_SIZE = 500
# Positions whose holders lead a team (班组长): their login gets the team lead role.
TEAM_LEAD_POSITIONS = {"team_lead"}
# The roles a login gets from its employee's position (`_position_roles`).
DERIVED_ROLES = (Role.ACCOUNT_MANAGER, Role.TEAM_LEAD)

logger = logging.getLogger(__name__)


def one_time_password() -> str:
    """A readable random password, e.g. "hK7m-p2Qx-9rTz" (12 random characters)."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )


class LoginBatchError(BilingualError):
    """A batch cannot be issued, for a reason the admin can act on (Chinese and English)."""


# (done, total) after each chunk of passwords.
LoginProgress = Callable[[int, int], None]


@dataclass
class _Candidates:
    """Who gets a login in a batch: employees in issuing order, the existing logins named by
    their 工号, and the 工号 passed over with the reason."""

    employees: list[Employee]
    users_by_username: dict[str, User]
    skipped: dict[str, str] = dataclass_field(default_factory=dict)


def _without_working_login(employees: QuerySet[Employee]) -> QuerySet[Employee]:
    return employees.filter(Q(user__isnull=True) | Q(user__is_active=False))


def _subtree_employees(unit: OrgUnit) -> QuerySet[Employee]:
    return Employee.objects.filter(org_unit__path__startswith=unit.path, status=Employee.Status.ACTIVE)


def _login_candidates(unit: OrgUnit, *, acting_user, reissue: bool, lock: bool = False) -> _Candidates:
    """The active employees of `unit`'s subtree who get a login: those without a working
    login, or everyone when `reissue`; never the acting admin himself, nor a 工号 whose
    username already belongs to another employee's login or is not a valid username."""
    employees = _subtree_employees(unit)
    if not reissue:
        employees = _without_working_login(employees)
    # The 工号 in upper case, taken before the lock: PostgreSQL refuses FOR UPDATE in it.
    wanted_names = employees.values(upper_no=Upper("employee_no"))
    if lock:
        # "self" only: PostgreSQL refuses to lock the nullable side of the join to the login.
        employees = employees.select_for_update(of=("self",))
    employees = employees.select_related("user", "position", "org_unit").order_by("org_unit__path",
                                                                                   "employee_no")
    # A subquery, not a list of 工号: a large unit would pass SQLite's limit on parameters.
    # In any case: logins answer to their username in any case (core/backends.py), so a 工号
    # "ADMIN" must not become a second login beside "admin".
    users = User.objects.annotate(upper_name=Upper("username")).filter(
        upper_name__in=wanted_names).select_related("employee")
    candidates = _Candidates([], {user.upper_name: user for user in users})
    in_order = list(employees)
    foreign = _logins_with_foreign_roles([e.user_id for e in in_order if e.user_id], acting_user)
    for employee in in_order:
        reason = _refusal(employee, candidates.users_by_username.get(employee.employee_no.upper()),
                          acting_user,
                          foreign)
        if reason:
            candidates.skipped[employee.employee_no] = reason
        else:
            candidates.employees.append(employee)
    return candidates


def _logins_with_foreign_roles(user_ids: list[int], acting_user) -> set[int]:
    """Those of `user_ids` holding a role bound outside `acting_user`'s ISSUE_LOGINS scope:
    resetting their password would hand the issuer a login stronger than his own."""
    if not user_ids or scopes.is_unrestricted(acting_user):
        return set()
    roots = scopes.scope_roots(acting_user, Perm.ISSUE_LOGINS)
    foreign: set[int] = set()
    for start in range(0, len(user_ids), BULK_SIZE):
        bindings = RoleAssignment.objects.filter(user_id__in=user_ids[start:start + BULK_SIZE]).exclude(
            _within_any(roots, "org_unit__"))
        foreign.update(bindings.values_list("user_id", flat=True))
    return foreign


def logins_kept_on_leaving(user_ids: list[int], acting_user) -> set[int]:
    """Those of `user_ids` that `acting_user` may not deactivate when their employee leaves,
    by the rule login issuing applies (`_refusal`): a login holding roles outside his
    ISSUE_LOGINS scope, or a staff or superuser login unless he reaches everywhere. The
    employee is still marked left; the login is for whoever granted those roles to end."""
    if not user_ids or scopes.is_unrestricted(acting_user):
        return set()
    kept = _logins_with_foreign_roles(user_ids, acting_user)
    for start in range(0, len(user_ids), BULK_SIZE):
        kept.update(User.objects.filter(pk__in=user_ids[start:start + BULK_SIZE]).filter(
            Q(is_staff=True) | Q(is_superuser=True)).values_list("pk", flat=True))
    return kept


def _within_any(roots: list[OrgUnit], prefix: str) -> Q:
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(**{f"{prefix}path__startswith": root.path})
    return q


def _refusal(employee: Employee, same_username: User | None, acting_user, foreign: set[int]) -> str:
    user = employee.user or same_username
    if user is not None and acting_user.pk is not None and user.pk == acting_user.pk:
        # Resetting his own password would log the admin out before he could download
        # the file that holds the new one.
        return "own login"
    if employee.user is None and user is not None:
        # Never take over a login this employee is not linked to: a 工号 chosen as
        # "admin" would otherwise hand the issuer a one-time password for that account.
        linked = getattr(user, "employee", None)
        if linked is not None and linked.pk != employee.pk:
            return "username taken by another employee's login"
        return "username taken by another login"
    if user is not None and (user.is_staff or user.is_superuser):
        return "login is staff or superuser"
    if user is not None and user.pk in foreign:
        return "login holds roles outside your scope"
    try:
        User.username_validator(employee.employee_no)
    except ValidationError:
        return "employee number is not a valid username"
    return ""


def login_batch_max() -> int:
    return int(settings.CASSPATH.get("LOGIN_BATCH_MAX", 20_000))


def _refuse_too_many(unit: OrgUnit, total: int) -> None:
    """A batch is one transaction and one file: 100,000 passwords would hash for over an
    hour and hold their writes to the end. Refused past LOGIN_BATCH_MAX, naming the limit."""
    limit = login_batch_max()
    if total > limit:
        raise LoginBatchError(
            f"一个批次最多开通 {limit:,} 个账号，而 {unit.name}（{unit.code}）有 {total:,} 名员工需要开通。"
            "请选择更小的单位（例如其下属的地市或区县），逐个单位开通。",
            f"A batch issues at most {limit:,} logins, and {unit.name} ({unit.code}) has {total:,} "
            "employees to issue. Choose a smaller unit (one of its cities or districts, say) and issue "
            "them unit by unit.",
        )


@transaction.atomic
def do_queue_issue_logins(unit: OrgUnit, *, acting_user, reissue: bool = False,
                          written_by_cli: bool = False) -> LoginBatch:
    """A queued batch of logins for `unit` (see `do_run_login_batch`), its total counted up
    front. The caller enqueues `casspath.org.tasks.issue_logins` once this has committed, or
    runs the batch itself (`do_issue_logins`).

    A batch for the web goes to a file only `acting_user` may download, so it needs a
    person; the command line (`written_by_cli`) writes the file where the operator says and
    may run as the system actor.

    Idempotent while it works: if the same admin has a batch for the same unit with the same
    options (`reissue`, `written_by_cli`) queued or running, that batch is returned, marked
    `reused`, and nothing is queued or audited (a double click, a retried script). Only the
    exact unit counts: a batch for a unit above or below it is another roster and another
    file, and stays allowed; the final write re-reads the roster under lock, so without
    `reissue` an employee the other batch gave a login is skipped, and with `reissue` the
    file written last holds his working password. Another admin's batch is not handed over
    (only its own admin may download its file): he gets his own."""
    if isinstance(acting_user, SystemActor) and not written_by_cli:
        raise ValueError("logins are issued by a person: only he may download the passwords")
    require_scope(acting_user, Perm.ISSUE_LOGINS, unit)
    # Two requests at once queue one batch: the second waits here for the first to commit
    # (PostgreSQL; SQLite's IMMEDIATE transactions run one at a time anyway).
    OrgUnit.objects.select_for_update(of=("self",)).filter(pk=unit.pk).first()
    same = LoginBatch.objects.filter(
        org_unit=unit, reissue=reissue, written_by_cli=written_by_cli, status__in=LoginBatch.CANCELLABLE)
    if isinstance(acting_user, SystemActor):
        same = same.filter(created_by__isnull=True, created_by_label=audit.actor_label(acting_user))
    else:
        same = same.filter(created_by_id=acting_user.pk)
    existing = same.select_related("org_unit").order_by("pk").first()
    if existing is not None:
        existing.reused = True
        return existing
    # A count, not the rows: the exact list is taken when the batch runs.
    employees = _subtree_employees(unit)
    if not reissue:
        employees = _without_working_login(employees)
    if acting_user.pk is not None:
        employees = employees.exclude(user_id=acting_user.pk)
    total = employees.count()
    _refuse_too_many(unit, total)
    batch = LoginBatch(
        created_by=None if isinstance(acting_user, SystemActor) else acting_user,
        created_by_label=audit.actor_label(acting_user), org_unit=unit, reissue=reissue,
        written_by_cli=written_by_cli, progress_total=total,
    )
    batch.full_clean()
    batch.save()
    audit.record(acting_user, OrgVerb.QUEUE_LOGINS, batch,
                 summary=audit.phrase(gettext_noop("%(unit)s: %(count)s logins to issue (reissue)") if reissue
                                      else gettext_noop("%(unit)s: %(count)s logins to issue"),
                                      unit=unit.code, count=total),
                 unit=unit)
    return batch


def do_run_login_batch(batch_id: int, *, out_path: Path | None = None,
                       progress: LoginProgress | None = None) -> LoginBatch | None:
    """Issue a queued batch: username = 工号, a one-time password that must be changed at
    first login, the account manager role for sales positions and the team lead role for
    班组长, each bound to the employee's unit. Returns the finished batch, or None when this
    call did not run it.

    Idempotent (casspath.core.jobs). A finished batch is not run again; a running one is left
    to its worker, unless its heartbeat is older than settings.JOB_STALE_AFTER (the worker
    died), when this run takes it over under a new `attempt`. It wrote no login (they are
    written in one transaction at the end), so starting over issues nothing twice.

    Passwords are hashed in chunks of LOGIN_CHUNK_SIZE (Argon2 is slow on purpose: ~25 ms
    each), and the progress is committed after each chunk so the web page can show it. The
    logins themselves (users, their link to the employee, roles) are written in ONE
    transaction at the end, together with the password file and the batch's success, after
    checking that this run still holds the batch and re-reading the roster under lock. We
    chose this over writing per chunk so that a failure (a crash, a lost scope, a full disk)
    leaves no half-issued batch: either every login of the batch works and its passwords are
    in the file, or nothing changed, and the admin simply issues again. The price is one
    longer final transaction (bulk writes: a few queries per thousand users).

    The file goes to PRIVATE_FILES_DIR for the issuing admin to download once, or to
    `out_path` for a batch queued by the command line.
    """
    batch = jobs.claim(LoginBatch, batch_id)
    if batch is None:
        return None
    acting_user = jobs.acting_user_of(batch)
    unit = batch.org_unit
    try:
        if batch.written_by_cli != (out_path is not None):
            raise LoginBatchError(
                "该批次须由命令行运行，并指定输出文件。" if batch.written_by_cli
                else "该批次的密码文件只能保存在服务器上，供签发人下载。",
                "This batch writes its passwords to a file named on the command line; run it there."
                if batch.written_by_cli
                else "This batch keeps its password file on the server for the issuing admin.",
            )
        if isinstance(acting_user, SystemActor) and not batch.written_by_cli:
            raise LoginBatchError("网页签发的批次须有签发人。", "A batch issued on the web needs its admin.")
        require_scope(acting_user, Perm.ISSUE_LOGINS, unit)
        candidates = _login_candidates(unit, acting_user=acting_user, reissue=batch.reissue)
        total = len(candidates.employees)
        _refuse_too_many(unit, total)  # the unit may have grown since the batch was queued
        jobs.heartbeat(batch, phase="hashing", done=0, total=total)
        if progress is not None:
            progress(0, total)
        prepared: dict[int, tuple[str, str]] = {}  # employee id → (password, hash)
        for start in range(0, total, LOGIN_CHUNK_SIZE):
            chunk = candidates.employees[start:start + LOGIN_CHUNK_SIZE]
            for employee in chunk:
                password = one_time_password()
                prepared[employee.pk] = (password, make_password(password))
            done = start + len(chunk)
            jobs.heartbeat(batch, done=done)
            if progress is not None:
                progress(done, total)
        return _write_login_batch(batch, prepared, candidates.skipped, acting_user=acting_user,
                                  out_path=out_path)
    except jobs.JobLost:
        return None
    except Exception as exc:
        reason_zh, reason_en = _failure_reasons(exc, unit, out_path)
        if not isinstance(exc, LoginBatchError | PermissionDenied):
            logger.exception("login batch %s failed", batch_id)
        return do_fail_login_batch(batch_id, reason_zh=reason_zh, reason_en=reason_en,
                                   acting_user=acting_user, attempt=batch.attempt)


def do_issue_logins(unit: OrgUnit, *, acting_user, reissue: bool = False, out_path: Path | None = None,
                    progress: LoginProgress | None = None) -> LoginBatch:
    """Queue a batch and run it here and now (the command line, scripts, tests); the web
    queues it and lets a Huey worker run it. Returns the batch, finished: succeeded, or
    failed with its reason in `error_zh` / `error_en`."""
    batch = do_queue_issue_logins(unit, acting_user=acting_user, reissue=reissue,
                                  written_by_cli=out_path is not None)
    do_run_login_batch(batch.pk, out_path=out_path, progress=progress)
    batch.refresh_from_db()
    return batch


def _write_login_batch(run: LoginBatch, prepared: dict[int, tuple[str, str]], skipped: dict[str, str], *,
                       acting_user, out_path: Path | None) -> LoginBatch:
    """Write the prepared logins, the file and the batch's success: all or nothing."""
    written: Path | None = None
    try:
        with transaction.atomic():
            batch = jobs.hold(run)  # JobLost if another run took the batch over meanwhile
            unit = batch.org_unit
            # The roster may have changed while the passwords were hashed: ask again, under lock.
            now_candidates = _login_candidates(unit, acting_user=acting_user, reissue=batch.reissue,
                                               lock=True)
            skipped = {**skipped, **now_candidates.skipped}
            chosen = [e for e in now_candidates.employees if e.pk in prepared]
            still = {e.pk for e in chosen}
            for employee_no in Employee.objects.filter(pk__in=set(prepared) - still).values_list(
                    "employee_no", flat=True):
                skipped.setdefault(employee_no, "changed while the batch ran")
            issued = _write_logins(chosen, prepared)
            # A new password ends the tokens made with the old one's login.
            do_revoke_tokens_of([e.user_id for e in chosen if e.user_id], reason=REVOKED_LOGIN_REISSUED,
                                acting_user=acting_user)
            jobs.pause_for_tests("logins.written")
            now = timezone.now()
            if out_path is None:
                file_name = f"{LOGIN_FILES_SUBDIR}/{now:%Y%m%d%H%M%S}-{secrets.token_hex(12)}.xlsx"
                path = login_files_dir() / Path(file_name).name
            else:
                file_name, path = "", Path(out_path)
            write_logins_file(path, unit, issued)
            written = path
            jobs.set_status(batch, LoginBatch.Status.SUCCEEDED, count=len(issued), file_name=file_name,
                             progress_done=len(prepared), progress_total=len(prepared), finished_at=now,
                             heartbeat_at=now)
            summary = audit.phrase(gettext_noop("%(unit)s: %(count)s logins (reissued)") if batch.reissue
                                   else gettext_noop("%(unit)s: %(count)s logins"),
                                   unit=unit.code, count=len(issued))
            audit.record(acting_user, OrgVerb.ISSUE_LOGINS, batch, summary=summary,
                         changes={"employees": [e.employee_no for e, _ in issued], "skipped": skipped},
                         unit=unit)
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    return batch


def _write_logins(employees: list[Employee],
                  prepared: dict[int, tuple[str, str]]) -> list[tuple[Employee, str]]:
    """Create or reset the logins of `employees` with their prepared password hashes, link
    them and grant their roles; bulk writes, a few queries in all."""
    new_users, old_users = [], []
    user_of: dict[int, User] = {}  # by employee: a linked login may have another username
    for employee in employees:
        # Only the employee's own login is reset: `_refusal` passed over any other user
        # with this username, and the unique username stops one created meanwhile.
        user = employee.user
        if user is None:
            user = User(username=employee.employee_no)
            new_users.append(user)
        else:
            old_users.append(user)
        user_of[employee.pk] = user
        user.first_name, user.last_name, user.email = employee.name, "", employee.email
        user.is_active = True
        user.must_change_password = True
        user.password = prepared[employee.pk][1]
        # Field checks only: uniqueness is settled above (a 工号 is one login).
        user.full_clean(validate_unique=False, validate_constraints=False)
    User.objects.bulk_create(new_users, batch_size=BULK_SIZE)
    if any(user.pk is None for user in new_users):  # a backend that returns no ids
        ids = dict(User.objects.filter(username__in=[u.username for u in new_users]).values_list(
            "username", "pk"))
        for user in new_users:
            user.pk = user.id = ids[user.username]
    User.objects.bulk_update(old_users, ["first_name", "last_name", "email", "is_active",
                                         "must_change_password", "password"], batch_size=BULK_SIZE)
    now = timezone.now()
    relinked, roles = [], []
    for employee in employees:
        user = user_of[employee.pk]
        if employee.user_id != user.pk:
            employee.user, employee.updated_at = user, now
            relinked.append(employee)
        roles += [RoleAssignment(user=user, role=role, org_unit_id=employee.org_unit_id)
                  for role in _roles_for(employee)]
    Employee.objects.bulk_update(relinked, ["user", "updated_at"], batch_size=BULK_SIZE)
    # The unique (user, role, unit) constraint keeps the roles a login holds already.
    RoleAssignment.objects.bulk_create(roles, batch_size=BULK_SIZE, ignore_conflicts=True)
    return [(employee, prepared[employee.pk][0]) for employee in employees]


def _failure_reasons(exc: Exception, unit: OrgUnit, out_path: Path | None) -> tuple[str, str]:
    if isinstance(exc, LoginBatchError):
        return exc.message_zh, exc.message_en
    if isinstance(exc, PermissionDenied):
        return (f"你已无权为 {unit.name}（{unit.code}）签发登录，未签发任何登录。",
                f"You may no longer issue logins for {unit.name} ({unit.code}); no login was issued.")
    if isinstance(exc, OSError) and out_path is not None:
        why = exc.strerror or str(exc)
        return (f"无法写入文件 {out_path}（{why}），未签发任何登录。",
                f"Cannot write the file {out_path} ({why}); no login was issued.")
    return ("签发登录时发生内部错误，未签发任何登录。请重新签发，或联系系统管理员。",
            f"An internal error stopped the batch ({type(exc).__name__}: {exc}); no login was issued. "
            "Issue the logins again, or tell the system administrator.")


def do_cancel_login_batch(batch: LoginBatch, *, acting_user) -> LoginBatch:
    """Cancel a queued or running batch (jobs.CANCELLABLE): its admin may, and so may any
    admin who may issue logins for its unit. A running batch stops at its next chunk of
    passwords; either way no login of it is issued (they are written at the end, all at
    once). Refused (InvalidTransition) once the batch has finished; audited."""
    if acting_user.pk is None or batch.created_by_id != acting_user.pk:
        require_scope(acting_user, Perm.ISSUE_LOGINS, batch.org_unit)
    when = f"{timezone.localtime():%Y-%m-%d %H:%M}"
    who = audit.actor_label(acting_user)
    why = BilingualError(f"已由 {who} 于 {when} 取消，未开通任何账号。",
                         f"Cancelled by {who} at {when}; no login was issued.")
    return jobs.cancel(batch, why, acting_user=acting_user, verb=OrgVerb.CANCEL_LOGINS, unit=batch.org_unit)


@transaction.atomic
def do_fail_login_batch(batch_id: int, *, reason_zh: str, reason_en: str, acting_user,
                        attempt: int | None = None) -> LoginBatch | None:
    """Mark a queued or running batch failed, with its reason in Chinese and English. With
    `attempt`, only while that run still holds the batch. Returns the batch, or None when
    it was left as it was (finished already, or taken over)."""
    batch = LoginBatch.objects.select_for_update(of=("self",)).select_related("org_unit").filter(
        pk=batch_id).first()
    if batch is None or LoginBatch.Status.FAILED not in LoginBatch.TRANSITIONS[batch.status]:
        return None
    if attempt is not None and batch.attempt != attempt:
        return None
    jobs.set_status(batch, LoginBatch.Status.FAILED, error_zh=reason_zh, error_en=reason_en,
                    finished_at=timezone.now())
    audit.record(acting_user, OrgVerb.ISSUE_LOGINS_FAILED, batch,
                 summary=audit.Bilingual(f"{batch.org_unit.code}：{reason_zh}",
                                         f"{batch.org_unit.code}: {reason_en}"),
                 unit=batch.org_unit)
    return batch


@dataclass(frozen=True)
class LoginMove:
    """An employee with a login whose unit, position or status changed: before and after."""

    user_id: int
    old_unit_id: int
    old_position_id: int | None
    new_unit_id: int
    new_position_id: int | None
    left: bool


# (user id, role, unit id) of a role binding.
Binding = tuple[int, str, int]


def realign_login_roles(moves: list[LoginMove], *, acting_user) -> tuple[list[Binding], list[Binding]]:
    """Move the role bindings a login got from its employee (`_roles_for`: account manager,
    team lead, bound to his unit) along with him: to his new unit while his position still
    grants them, dropped when it no longer does or he left. Otherwise a team lead moved away
    would keep reading his old team's personal data. Roles granted by hand elsewhere are not
    touched. Bulk: a few queries in all. Tokens made under a removed binding end. Returns
    (removed, added) bindings."""
    moves = [m for m in moves if m.old_unit_id != m.new_unit_id or m.old_position_id != m.new_position_id
             or m.left]
    if not moves:
        return [], []
    position_ids = {m.old_position_id for m in moves} | {m.new_position_id for m in moves}
    positions = Position.objects.in_bulk([pk for pk in position_ids if pk is not None])
    user_ids = sorted({m.user_id for m in moves})
    held: dict[Binding, int] = {}
    for start in range(0, len(user_ids), BULK_SIZE):
        for pk, user_id, role, unit_id in RoleAssignment.objects.filter(
                user_id__in=user_ids[start:start + BULK_SIZE], role__in=DERIVED_ROLES).values_list(
                "pk", "user_id", "role", "org_unit_id"):
            held[(user_id, role, unit_id)] = pk
    removed: list[Binding] = []
    added: list[Binding] = []
    for move in moves:
        # Plain strings: an Enum member hashes by its name, not by the value the rows hold.
        kept = set() if move.left else set(map(str, _position_roles(positions.get(move.new_position_id))))
        for role in map(str, _position_roles(positions.get(move.old_position_id))):
            old = (move.user_id, role, move.old_unit_id)
            if old not in held or (role in kept and move.new_unit_id == move.old_unit_id):
                continue
            removed.append(old)
            if role in kept:
                added.append((move.user_id, role, move.new_unit_id))
        # What the new position grants and he does not hold yet (a promotion to team lead).
        for role in sorted(kept):
            granted = (move.user_id, role, move.new_unit_id)
            if granted not in held and granted not in added:
                added.append(granted)
    removed_ids = [held[binding] for binding in removed]
    for start in range(0, len(removed_ids), BULK_SIZE):
        RoleAssignment.objects.filter(pk__in=removed_ids[start:start + BULK_SIZE]).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=user_id, role=role, org_unit_id=unit_id) for user_id, role, unit_id in added],
        batch_size=BULK_SIZE, ignore_conflicts=True)
    do_revoke_tokens_of([b[0] for b in removed], reason=REVOKED_ROLE_LOST, acting_user=acting_user,
                        lost_bindings=removed)
    return removed, added


def _roles_for(employee: Employee) -> list[str]:
    return _position_roles(employee.position)


def _position_roles(position: Position | None) -> list[str]:
    if position is None:
        return []
    roles: list[str] = []
    if position.is_sales:
        roles.append(Role.ACCOUNT_MANAGER)
    if position.code in TEAM_LEAD_POSITIONS:
        roles.append(Role.TEAM_LEAD)
    return roles
