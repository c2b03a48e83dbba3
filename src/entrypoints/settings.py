"""Configuration from the environment and `.env`, with the embedded defaults and the production checks."""

import ipaddress
import json
import os
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import limits
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
    # Bounds on every wait for a dependency, so that one that does not answer costs a request a 503 in
    # seconds, not a hang. The database ones apply to PostgreSQL (README: "Timeouts and failures").
    database_connect_timeout_seconds: int = Field(default=3, ge=2)  # libpq counts whole seconds, 2 at least
    database_statement_timeout_seconds: float = Field(default=5, gt=0)
    database_pool_timeout_seconds: float = Field(default=2, gt=0)
    redis_connect_timeout_seconds: float = Field(default=2, gt=0)
    redis_command_timeout_seconds: float = Field(default=2, gt=0)
    readiness_timeout_seconds: float = Field(default=2, gt=0)
    jwt_secret: SecretStr | None = None
    jwt_issuer: str = "inkwell"
    password_pepper: SecretStr | None = None
    access_token_ttl_seconds: int = Field(default=15 * 60, ge=30)
    refresh_token_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)
    session_max_age_seconds: int = Field(default=30 * 24 * 3600, ge=60)
    bcrypt_rounds: int = Field(default=12, ge=4, le=31)
    password_hashing_max_waiting: int = Field(default=16, ge=0)
    password_hashing_threads: int | None = Field(default=None, ge=1)  # default: one per core but one
    password_refuse_common: bool = True
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    migrate_on_start: bool | None = None  # default: yes when embedded, no in production
    log_level: str = "INFO"
    # Limits in the `limits` library's notation, "10/minute" or several, "10/minute;100/hour" (see README).
    rate_limits_enabled: bool = True
    rate_limit_login: str = "10/minute;100/hour"  # per account and per client address
    rate_limit_register: str = "20/hour"  # per client address
    rate_limit_refresh: str = "30/minute"  # per session
    rate_limit_mail: str = "5/hour"  # reset and verification mails: per recipient and per client address
    # Peers whose X-Forwarded-For is believed (addresses or networks); by default, no one's.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

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
    service_api_key: SecretStr | None = None  # `X-API-Key` of /metrics and the workers' metrics; unset: both off
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535)  # unset: workers export no metrics
    worker_metrics_host: str = "127.0.0.1"

    @model_validator(mode="before")
    @classmethod
    def _split_origins(cls, values: Any) -> Any:
        if isinstance(values, dict):
            for name in ("cors_origins", "trusted_proxies"):
                raw = values.get(name)
                if isinstance(raw, str):
                    values[name] = [item.strip() for item in raw.split(",") if item.strip()]
        return values

    @model_validator(mode="after")
    def _check_profile(self) -> "Settings":
        if self.broker_url and not self.broker_url.startswith(("amqp://", "amqps://")):
            raise ValueError("BROKER_URL must be an amqp:// or amqps:// URL (RabbitMQ); leave it unset for Redis")
        if "*" in self.cors_origins:
            raise ValueError("CORS_ORIGINS may not contain '*': credentials are allowed, so origins must be listed")
        # A short secret is refused at start in every profile: the token codec would refuse it anyway, but
        # only when first used, failing every request that touches a token; a short pepper weakens every hash.
        for name in ("jwt_secret", "password_pepper"):
            secret = getattr(self, name)
            size = len(secret.get_secret_value().encode()) if secret is not None else 0
            if 0 < size < MIN_SECRET_BYTES:
                raise ValueError(f"{name.upper()} must be set to at least {MIN_SECRET_BYTES} bytes (it has {size}), "
                                 f"e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")
        if self.inkwell_profile is Profile.PRODUCTION:
            missing = [name for name in ("database_url", "redis_url") if not getattr(self, name)]
            if missing:
                raise ValueError(f"the production profile needs {', '.join(n.upper() for n in missing)}")
            for name in ("jwt_secret", "password_pepper"):
                secret = getattr(self, name)
                if secret is None or len(secret.get_secret_value().encode()) < MIN_SECRET_BYTES:
                    raise ValueError(f"{name.upper()} must be set to at least {MIN_SECRET_BYTES} bytes in production")
        return self

    @model_validator(mode="after")
    def _check_rate_limits(self) -> "Settings":
        for name in ("rate_limit_login", "rate_limit_register", "rate_limit_refresh", "rate_limit_mail"):
            try:
                if any(item.amount < 1 for item in limits.parse_many(getattr(self, name))):
                    raise ValueError("a limit of none")
            except ValueError:
                raise ValueError(
                    f"{name.upper()} must be limits like '10/minute' or '10/minute;100/hour', "
                    f"not {getattr(self, name)!r}"
                ) from None
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"TRUSTED_PROXIES must list addresses or networks, not {proxy!r}") from None
        return self

    @model_validator(mode="after")
    def _check_service_key(self) -> "Settings":
        key = self.service_api_key
        if key is not None and len(key.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"SERVICE_API_KEY must be at least {MIN_SECRET_BYTES} bytes (or left unset)")
        if self.worker_metrics_port is not None and key is None:
            raise ValueError("WORKER_METRICS_PORT needs SERVICE_API_KEY: worker metrics are served to its holders only")
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
        _make_private_dir(self.data_dir)  # SQLite creates the file, not its directory
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


def _make_private_dir(path: Path) -> None:
    """DATA_DIR holds the database, the secrets, mails and exports: made for its owner only (the umask can
    only take permissions away from 0o700). A directory that exists already is left as its owner made it."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _kept_secrets(data_dir: Path) -> dict[str, str]:
    """Generated once and kept, readable by the owner only. Published with a hard link, which
    fails if the file exists, so concurrent first starts all end up with the same secrets."""
    path = data_dir / "secrets.json"
    if not path.exists():
        _make_private_dir(data_dir)
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
