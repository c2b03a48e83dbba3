"""Bodies of the administration endpoints: users as administrators see them, and the audit log."""

from pydantic import BaseModel, ConfigDict, Field

from application.views import AuditEntryView, AuditPage, ManagedUser, ManagedUserPage
from domain.audit import AuditAction
from domain.users import Role
from entrypoints.http.schemas.articles import Timestamp


class AdminUser(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "id": "5f0c8a1e-3b9d-4c2a-9e61-0d7b2f4a8c13", "username": "jake", "email": "jake@jake.jake", "role": "user",
        "active": True, "emailVerified": True, "createdAt": "2026-11-29T10:00:00.000Z",
    }})
    id: str
    username: str
    email: str
    role: Role
    active: bool
    emailVerified: bool
    createdAt: Timestamp

    @classmethod
    def of(cls, view: ManagedUser) -> "AdminUser":
        return cls(id=str(view.user_id), username=view.username, email=view.email, role=view.role,
                   active=view.is_active, emailVerified=view.email_verified, createdAt=view.created_at)


class AdminUserResponse(BaseModel):
    user: AdminUser


class AdminUserListResponse(BaseModel):
    users: list[AdminUser]
    usersCount: int = Field(description="Every user that matches, not only this page.")

    @classmethod
    def of(cls, page: ManagedUserPage) -> "AdminUserListResponse":
        return cls(users=[AdminUser.of(view) for view in page.users], usersCount=page.total)


class UserAccessChanges(BaseModel):
    """Both fields are optional; what is left out (or null) stays as it is."""

    model_config = ConfigDict(json_schema_extra={"example": {"role": "user", "active": False}})
    role: Role | None = Field(default=None, description="Demoting an administrator ends their sessions at once.")
    active: bool | None = Field(default=None, description="Deactivating ends every session of the user at once.")


class UserAccessRequest(BaseModel):
    user: UserAccessChanges


class AuditEntry(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "id": 42, "at": "2026-11-29T10:00:00.000Z", "action": "role_changed",
        "actor": "0d7b2f4a-8c13-4c2a-9e61-5f0c8a1e3b9d", "target": "jake",
        "targetId": "5f0c8a1e-3b9d-4c2a-9e61-0d7b2f4a8c13", "clientAddress": "203.0.113.7",
        "requestId": "6f1d2c3b4a5e4f60b7c8d9e0a1b2c3d4", "details": {"from": "admin", "to": "user"},
    }})
    id: int
    at: Timestamp
    action: AuditAction
    actor: str | None = Field(description="The id of the user who acted; null for an anonymous caller or the "
                                          "operator at the command line.")
    target: str | None = Field(description="What was acted on, as a person reads it: a username, a slug, the "
                                           "e-mail address a failed log-in was tried with.")
    targetId: str | None = Field(description="The id of the user the event concerns, if any.")
    clientAddress: str | None
    requestId: str | None
    details: dict[str, str]

    @classmethod
    def of(cls, view: AuditEntryView) -> "AuditEntry":
        return cls(
            id=view.id, at=view.at, action=view.action, actor=None if view.actor_id is None else str(view.actor_id),
            target=view.target, targetId=None if view.target_id is None else str(view.target_id),
            clientAddress=view.client_address, requestId=view.request_id, details=view.details,
        )


class AuditListResponse(BaseModel):
    events: list[AuditEntry]
    eventsCount: int = Field(description="Every entry that matches, not only this page.")

    @classmethod
    def of(cls, page: AuditPage) -> "AuditListResponse":
        return cls(events=[AuditEntry.of(view) for view in page.entries], eventsCount=page.total)
