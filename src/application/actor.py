"""Actor: who is calling, the input to every authorisation rule."""

from dataclasses import dataclass

from domain.errors import Forbidden
from domain.ids import UserId
from domain.sessions import TokenClaims
from domain.users import Role


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: UserId
    role: Role
    access: TokenClaims

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def ensure_admin(self) -> None:
        """Raises Forbidden unless the caller is an administrator."""
        if not self.is_admin:
            raise Forbidden("only administrators may do this", field="admin")


@dataclass(frozen=True, slots=True)
class SystemCaller:
    """The operator at the command line (`inkwell set-role`, …): trusted as whoever may run commands on
    the server is, with no account of its own; the audit log shows it as no one (null)."""

    @property
    def user_id(self) -> None:
        return None

    @property
    def is_admin(self) -> bool:
        return True

    def ensure_admin(self) -> None:
        """Always allowed."""


SYSTEM = SystemCaller()

# Who may call the administration use cases: an administrator over HTTP, or the operator.
Caller = Actor | SystemCaller
