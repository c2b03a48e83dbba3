"""Configuration from the environment and `.env`, with the embedded defaults and the production checks."""

import ipaddress
import json
import os
import re
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import limits
from pydantic import Field, SecretStr, ValidationInfo, field_validator
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
    # The token in RealWorld's user object: its clients never refresh. Bound to its session all the same,
    # and never outliving it (README: "Accounts and sessions, precisely").
    realworld_token_ttl_seconds: int = Field(default=7 * 24 * 3600, gt=0)
    bcrypt_rounds: int = Field(default=12, ge=4, le=31)
    password_hashing_max_waiting: int = Field(default=16, ge=0)
    password_hashing_threads: int | None = Field(default=None, ge=1)  # default: one per core but one
    password_refuse_common: bool = True
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Room for the largest valid body with every character escaped (see `entrypoints.http.body_bounds`).
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
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

    # Every setting is checked on its own, so that all problems are reported at once, one line each. A check
    # that depends on another setting reads it from `info.data`, which holds the valid settings declared above.

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_list(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            return [item.strip() for item in raw.split(",") if item.strip()]
        return raw

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, url: str | None, info: ValidationInfo) -> str | None:
        if url:
            try:
                url = normalized_database_url(url)
            except ValueError as error:
                raise ValueError(f"DATABASE_URL {error}") from None
        return _needed_in_production(url, info)

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, url: str | None, info: ValidationInfo) -> str | None:
        if url and _scheme(url) not in ("redis", "rediss", "unix"):
            raise ValueError(f"REDIS_URL {_unsupported(url, 'redis:// or rediss://')}")
        return _needed_in_production(url, info)

    @field_validator("jwt_secret", "password_pepper")
    @classmethod
    def _check_secret(cls, secret: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        # A short secret is refused at start in every profile: the token codec would refuse it anyway, but
        # only when first used, failing every request that touches a token; a short pepper weakens every hash.
        name = _setting(info)
        size = len(secret.get_secret_value().encode()) if secret is not None else 0
        if 0 < size < MIN_SECRET_BYTES:
            raise ValueError(f"{name} must be set to at least {MIN_SECRET_BYTES} bytes (it has {size}), "
                             f"e.g. the output of: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")
        if size == 0 and _is_production(info):
            raise ValueError(f"{name} must be set to at least {MIN_SECRET_BYTES} bytes in production")
        return secret

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, origins: list[str]) -> list[str]:
        if "*" in origins:
            raise ValueError("CORS_ORIGINS may not contain '*': credentials are allowed, so origins must be listed")
        return origins

    @field_validator("rate_limit_login", "rate_limit_register", "rate_limit_refresh", "rate_limit_mail")
    @classmethod
    def _check_rate_limit(cls, notation: str, info: ValidationInfo) -> str:
        try:
            if any(item.amount < 1 for item in limits.parse_many(notation)):
                raise ValueError("a limit of none")
        except ValueError:
            raise ValueError(
                f"{_setting(info)} must be limits like '10/minute' or '10/minute;100/hour', not {notation!r}"
            ) from None
        return notation

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, proxies: list[str]) -> list[str]:
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(f"TRUSTED_PROXIES must list addresses or networks, not {proxy!r}") from None
        return proxies

    @field_validator("smtp_ssl_tls")
    @classmethod
    def _check_smtp_tls(cls, ssl_tls: bool, info: ValidationInfo) -> bool:
        if ssl_tls and info.data.get("smtp_starttls"):
            raise ValueError("SMTP_SSL_TLS and SMTP_STARTTLS are both true: for TLS from the start (port 465), "
                             "set SMTP_STARTTLS=false")
        return ssl_tls

    @field_validator("broker_url")
    @classmethod
    def _check_broker_url(cls, url: str | None) -> str | None:
        if url and _scheme(url) not in ("amqp", "amqps"):
            raise ValueError("BROKER_URL must be an amqp:// or amqps:// URL (RabbitMQ); leave it unset for Redis")
        return url

    @field_validator("service_api_key")
    @classmethod
    def _check_service_key(cls, key: SecretStr | None) -> SecretStr | None:
        if key is not None and not key.get_secret_value():
            return None  # empty means unset, as for the other secrets (e.g. `SERVICE_API_KEY=` in .env)
        if key is not None and len(key.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"SERVICE_API_KEY must be at least {MIN_SECRET_BYTES} bytes (or left unset)")
        return key

    @field_validator("worker_metrics_port")
    @classmethod
    def _check_metrics_port(cls, port: int | None, info: ValidationInfo) -> int | None:
        # A key that is itself refused is absent from `info.data`: its own line says what is wrong.
        if port is not None and "service_api_key" in info.data and info.data["service_api_key"] is None:
            raise ValueError("WORKER_METRICS_PORT needs SERVICE_API_KEY: worker metrics are served to its holders only")
        return port

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


POSTGRES_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2")
SQLITE_SCHEMES = ("sqlite", "sqlite+aiosqlite")


def normalized_database_url(url: str) -> str:
    """The URL with the drivers Inkwell ships, psycopg 3 and aiosqlite, so that `postgres://…` and
    `postgresql://…` (as hosting providers hand them out) work as they are; ValueError for any other kind."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        raise ValueError("is not a URL; use postgresql://user@host:5432/database or sqlite+aiosqlite:///path/to.db")
    if scheme.lower() in POSTGRES_SCHEMES:
        return f"postgresql+psycopg://{rest}"
    if scheme.lower() in SQLITE_SCHEMES:
        return f"sqlite+aiosqlite://{rest}"
    raise ValueError(_unsupported(url, "postgresql:// or sqlite+aiosqlite://"))


def _scheme(url: str) -> str:
    return url.partition("://")[0].lower() if "://" in url else ""


def _unsupported(url: str, wanted: str) -> str:
    scheme = _scheme(url)
    # Only something that looks like a scheme is repeated: a URL typed wrong may start with a password.
    shown = f' "{scheme}"' if re.fullmatch(r"[a-z][a-z0-9+.-]{0,30}", scheme) else ""
    return f"has an unsupported scheme{shown}; use {wanted}" if "://" in url else f"is not a URL; use {wanted}"


def _setting(info: ValidationInfo) -> str:
    return str(info.field_name).upper()


def _is_production(info: ValidationInfo) -> bool:
    return info.data.get("inkwell_profile") is Profile.PRODUCTION


def _needed_in_production(value: str | None, info: ValidationInfo) -> str | None:
    if not value and _is_production(info):
        raise ValueError(f"{_setting(info)} is required in the production profile")
    return value


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
