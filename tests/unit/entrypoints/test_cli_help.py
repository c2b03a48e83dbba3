"""`inkwell --help` and each command's help: plain text that says what is true, with no type tags."""

import re
from importlib.metadata import version

import pytest
from typer.testing import CliRunner

from entrypoints.cli import app

COMMANDS = ["serve", "worker", "migrate", "create-admin", "set-role", "revoke-sessions", "check", "mail"]


def page(*command: str) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_overview_gives_each_command_a_one_line_summary() -> None:
    listed = page().split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed if line.strip()] == COMMANDS
    assert not [line for line in listed if line.rstrip().endswith("...")]  # a summary, not a cut paragraph
    assert "--version" in page()


PAGES = [[], *([name] for name in COMMANDS), ["mail", "preview"]]


@pytest.mark.parametrize("command", PAGES, ids=lambda command: " ".join(command) or "inkwell")
def test_no_option_carries_a_type_tag(command: list[str]) -> None:
    options = page(*command).split("Options:\n", 1)[1]
    assert re.findall(r"<[a-z ]+>", options) == []  # such as <bool> after --help


def test_create_admin_says_that_what_is_not_given_is_asked_for() -> None:
    text = page("create-admin")
    password = " ".join(text.split("--password", 1)[1].split("--help", 1)[0].split())
    assert password.startswith("PASSWORD Optional: when not given, it is asked for twice without being shown")
    assert "required" not in text


def test_version_is_the_installed_one() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, f"inkwell {version('inkwell')}\n")
