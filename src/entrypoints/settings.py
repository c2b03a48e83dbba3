"""Configuration from the environment and `.env`, with the embedded defaults and the production checks."""

import json
import os
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIN_SECRET_BYTES = 32


class Profile(StrEnum):
    EMBEDDED = "embedded"  # SQLite and a SQL token store under DATA_DIR; no services needed
    PRODUCTION = "production"  # Postgres + Redis; every secret comes from the environment
    TEST = "test"  # in-memory adapters; nothing survives the process


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    inkwell_profile: Profile = Profile.EMBEDDED
    data_dir: Path = Path("var")
    database_url: str | None = None
    redis_url: str | None = None
    jwt_secret: SecretStr | None = None
    jwt_issuer: str = "inkwell"
    password_pepper: SecretStr | None = None
    access_token_ttl_seconds: int = Field(default=15 * 60, ge=30)
    refresh_token_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    session_max_age_seconds: int = Field(default=30 * 24 * 3600, ge=60)
    bcrypt_rounds: int = Field(default=12, ge=4, le=31)
    password_hashing_max_waiting: int = Field(default=16, ge=0)
    password_refuse_common: bool = True
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    migrate_on_start: bool | None = None  # default: yes when embedded, no in production
    log_level: str = "INFO"

    frontend_url: str = "http://localhost:3000"
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "Inkwell <no-reply@inkwell.example>"
    smtp_starttls: bool = True
    smtp_ssl_tls: bool = False
    smtp_timeout_seconds: int = Field(default=15, ge=1)
    broker_url: str | None = None  # amqp://… for RabbitMQ; otherwise Dramatiq runs on REDIS_URL
    job_queue_prefix: str = Field(default="inkwell", pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    run_jobs_in_process: bool | None = None  # default: yes when embedded
    job_lease_seconds: int = Field(default=30, ge=2)
    job_republish_after_seconds: int = Field(default=300, ge=1)
    job_max_attempts: int | None = Field(default=None, ge=1)
    job_min_backoff_seconds: float | None = Field(default=None, gt=0)
    job_max_backoff_seconds: float | None = Field(default=None, gt=0)
    verify_email_token_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    reset_password_token_ttl_seconds: int = Field(default=3600, ge=60)
    export_dir: Path | None = None  # default: DATA_DIR/exports
    export_ttl_seconds: int = Field(default=24 * 3600, ge=60)

    @model_validator(mode="before")
    @classmethod
    def _split_origins(cls, values: Any) -> Any:
        if isinstance(values, dict):
            raw = values.get("cors_origins")
            if isinstance(raw, str):
                values["cors_origins"] = [o.strip() for o in raw.split(",") if o.strip()]
        return values

    @model_validator(mode="after")
    def _check_profile(self) -> "Settings":
        if self.broker_url and not self.broker_url.startswith(("amqp://", "amqps://")):
            raise ValueError("BROKER_URL must be an amqp:// or amqps:// URL (RabbitMQ); leave it unset for Redis")
        if "*" in self.cors_origins:
            raise ValueError("CORS_ORIGINS may not contain '*': credentials are allowed, so origins must be listed")
        if self.inkwell_profile is Profile.PRODUCTION:
            missing = [name for name in ("database_url", "redis_url") if not getattr(self, name)]
            if missing:
                raise ValueError(f"the production profile needs {', '.join(n.upper() for n in missing)}")
            for name in ("jwt_secret", "password_pepper"):
                secret = getattr(self, name)
                if secret is None or len(secret.get_secret_value().encode()) < MIN_SECRET_BYTES:
                    raise ValueError(f"{name.upper()} must be set to at least {MIN_SECRET_BYTES} bytes in production")
        return self

    @property
    def should_migrate_on_start(self) -> bool:
        if self.migrate_on_start is not None:
            return self.migrate_on_start
        return self.inkwell_profile is Profile.EMBEDDED

    @property
    def runs_jobs_in_process(self) -> bool:
        if self.run_jobs_in_process is not None:
            return self.run_jobs_in_process
        return self.inkwell_profile is Profile.EMBEDDED

    @property
    def resolved_export_dir(self) -> Path:
        return (self.export_dir or self.data_dir / "exports").resolve()

    @property
    def mail_dir(self) -> Path:
        """Where the embedded default writes mails as .eml files when no SMTP server is configured."""
        return (self.data_dir / "mail").resolve()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)  # SQLite creates the file, not its directory
        return f"sqlite+aiosqlite:///{(self.data_dir / 'inkwell.db').resolve()}"

    def resolved_secrets(self) -> tuple[str, str]:
        """The JWT secret and password pepper: configured ones, or in the embedded profile ones
        generated on first start and kept in DATA_DIR."""
        configured = (self.jwt_secret, self.password_pepper)
        if all(configured):
            return tuple(s.get_secret_value() for s in configured)  # type: ignore[union-attr,return-value]
        if self.inkwell_profile is Profile.PRODUCTION:
            raise ValueError("JWT_SECRET and PASSWORD_PEPPER are required in production")
        kept = _kept_secrets(self.data_dir) if self.inkwell_profile is Profile.EMBEDDED else _fresh_secrets()
        return (
            self.jwt_secret.get_secret_value() if self.jwt_secret else kept["jwt_secret"],
            self.password_pepper.get_secret_value() if self.password_pepper else kept["password_pepper"],
        )


def _fresh_secrets() -> dict[str, str]:
    return {"jwt_secret": secrets.token_urlsafe(48), "password_pepper": secrets.token_urlsafe(48)}


def _kept_secrets(data_dir: Path) -> dict[str, str]:
    """Generated once and kept, readable by the owner only. Published with a hard link, which
    fails if the file exists, so concurrent first starts all end up with the same secrets."""
    path = data_dir / "secrets.json"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".secrets.{secrets.token_hex(8)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            json.dump(_fresh_secrets(), file)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    loaded: dict[str, str] = json.loads(path.read_text())
    return loaded
