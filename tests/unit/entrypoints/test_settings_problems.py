"""Settings report every problem at once, each naming its setting, and accept PostgreSQL URLs as hosting
providers write them. `.env.example` and the README's table list every setting, so neither can drift."""

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from entrypoints.settings import Settings, normalized_database_url
from entrypoints.settings_problems import settings_or_exit

REPOSITORY = Path(__file__).resolve().parents[3]
LONG = "s" * 32


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def problems(**values: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as refused:
        settings(**values)
    return {str(error["loc"][0]): str(error["msg"]) for error in refused.value.errors()}


@pytest.fixture
def no_settings_in_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)  # and no .env


def test_every_problem_is_reported_at_once_field_checks_and_cross_checks_alike() -> None:
    found = problems(inkwell_profile="production", database_url="mysql://root:hunter2@db/inkwell",
                     bcrypt_rounds=99, jwt_secret="short", cors_origins="*", rate_limit_login="often",
                     smtp_ssl_tls=True, worker_metrics_port=9300)
    assert set(found) == {"database_url", "redis_url", "jwt_secret", "password_pepper", "bcrypt_rounds",
                          "cors_origins", "rate_limit_login", "smtp_ssl_tls", "worker_metrics_port"}
    assert found["redis_url"].endswith("REDIS_URL is required in the production profile")
    assert "hunter2" not in " ".join(found.values())


@pytest.mark.usefixtures("no_settings_in_the_environment")
def test_the_command_line_prints_one_line_per_problem_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://root:hunter2@db/inkwell")
    monkeypatch.setenv("BCRYPT_ROUNDS", "99")
    monkeypatch.setenv("SMTP_PORT", "many")
    with pytest.raises(SystemExit) as exited:
        settings_or_exit()
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        'DATABASE_URL has an unsupported scheme "mysql"; use postgresql:// or sqlite+aiosqlite://',
        "BCRYPT_ROUNDS should be less than or equal to 31 (given: '99')",
        "SMTP_PORT should be a valid integer, unable to parse string as an integer (given: 'many')",
    ]


@pytest.mark.parametrize("given", [
    "postgres://inkwell:pw@db:5432/inkwell", "postgresql://inkwell:pw@db:5432/inkwell",
    "postgresql+psycopg://inkwell:pw@db:5432/inkwell", "postgresql+psycopg2://inkwell:pw@db:5432/inkwell",
    "POSTGRES://inkwell:pw@db:5432/inkwell",
])
def test_every_way_of_writing_a_postgresql_url_means_psycopg_3(given: str) -> None:
    assert settings(database_url=given).database_url == "postgresql+psycopg://inkwell:pw@db:5432/inkwell"


def test_sqlite_urls_mean_aiosqlite_and_other_databases_are_refused_in_words() -> None:
    assert normalized_database_url("sqlite:///var/x.db") == "sqlite+aiosqlite:///var/x.db"
    assert problems(database_url="mysql+aiomysql://u@h/db") == {
        "database_url": 'Value error, DATABASE_URL has an unsupported scheme "mysql+aiomysql"; '
                        "use postgresql:// or sqlite+aiosqlite://"}
    assert "is not a URL" in problems(database_url="inkwell.db")["database_url"]
    # What does not look like a scheme is not repeated: it may be the start of a mistyped password.
    assert problems(database_url="s3cr3t pass://x")["database_url"].endswith(
        "DATABASE_URL has an unsupported scheme; use postgresql:// or sqlite+aiosqlite://")
    assert 'REDIS_URL has an unsupported scheme "http"' in problems(redis_url="http://cache:6379")["redis_url"]


def test_empty_secrets_mean_unset() -> None:
    assert settings(service_api_key="").service_api_key is None
    assert set(problems(service_api_key="", worker_metrics_port=9300)) == {"worker_metrics_port"}
    assert settings(service_api_key=LONG, worker_metrics_port=9300).worker_metrics_port == 9300


def example_settings() -> dict[str, str]:
    """`# NAME=value` lines of .env.example: every setting, commented out, with its default or an example."""
    text = (REPOSITORY / ".env.example").read_text()
    found = re.findall(r"^# ([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.MULTILINE)
    names = [name for name, _ in found]
    assert len(names) == len(set(names)), "a setting is listed twice"
    return {name: value.strip().strip('"') for name, value in found}


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    assert set(example_settings()) == {name.upper() for name in Settings.model_fields}


@pytest.mark.usefixtures("no_settings_in_the_environment")
def test_env_example_shows_each_default_as_it_is() -> None:
    for name, shown in example_settings().items():
        field = Settings.model_fields[name.lower()]
        default = field.get_default(call_default_factory=True)
        if default in (None, []):  # computed, or none by default: the line shows an example, and says so
            continue
        assert getattr(settings(**{name.lower(): shown}), name.lower()) == default, name


@pytest.mark.usefixtures("no_settings_in_the_environment")
def test_env_example_as_it_is_configures_nothing(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text((REPOSITORY / ".env.example").read_text())
    assert Settings() == settings()


def test_the_readme_configuration_table_names_every_setting() -> None:
    readme = (REPOSITORY / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = "\n".join(line for line in section.splitlines() if line.startswith("| `"))
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in rows]
    assert missing == []
