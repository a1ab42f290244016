"""Who performs an action: a logged-in user, or the system (a CLI run, a demo build).

Actions take `acting_user`; audit rows name it. A system actor has no org scope limits:
it is an operator at the shell of the server.
"""

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    label: str
    is_authenticated: bool = True
    is_superuser: bool = True
    is_active: bool = True
    pk: None = None

    @classmethod
    def cli(cls) -> "SystemActor":
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        return cls(label=f"cli:{who}")


def actor_label(acting_user) -> str:
    if isinstance(acting_user, SystemActor):
        return acting_user.label
    return acting_user.get_username()
