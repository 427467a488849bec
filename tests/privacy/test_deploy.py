"""docs/deploy.md cannot drift: every systemd unit in it starts a real command of the app
(or Litestream's replicate), with options the command has, and reads the settings file."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from mentorapp import cli
from mentorapp.privacy.backup import litestream_binary

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def units() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    found = {}
    for name, body in re.findall(r"`/etc/systemd/system/([\w.-]+)`[^`]*?```ini\n(.*?)```", text, re.S):
        found[name] = body
    return found


def test_the_doc_has_the_services_and_their_timers():
    assert set(units()) == {"mentorapp-web.service", "mentorapp-sender.service",
                            "mentorapp-purge.service", "mentorapp-purge.timer",
                            "mentorapp-compact.service", "mentorapp-compact.timer",
                            "mentorapp-litestream.service"}


def test_every_execstart_is_a_real_command_with_real_options():
    commands = {command.name: command for command in cli.app_commands}
    for name, body in units().items():
        if name.endswith(".timer"):
            # A timer starts the service of its own name unless it says otherwise.
            assert "Unit=" not in body, name
            assert name.replace(".timer", ".service") in units(), name
            continue
        assert "EnvironmentFile=/etc/mentorapp/env" in body, name
        [line] = [line for line in body.splitlines() if line.startswith("ExecStart=")]
        program, *args = shlex.split(line.removeprefix("ExecStart="))
        if program.endswith("/litestream"):
            assert args[:2] == ["replicate", "-config"], name
            help_text = subprocess.run([litestream_binary(), "replicate", "-h"],
                                       capture_output=True, text=True, check=False)
            assert "-config" in help_text.stdout + help_text.stderr
            continue
        assert program == "/srv/mentorapp/venv/bin/mentorapp", name
        command = commands[args[0]]
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        for arg in args[1:]:
            if arg.startswith("--"):
                assert arg in options, f"{name}: {arg}"


def test_the_purge_timer_starts_the_purge_service():
    text = DOC.read_text(encoding="utf-8")
    assert "OnCalendar=" in units()["mentorapp-purge.timer"]
    assert "Type=oneshot" in units()["mentorapp-purge.service"]
    # The weekly rewrite of the file is on its own timer, whoever runs the daily purge.
    assert "OnCalendar=Sun" in units()["mentorapp-compact.timer"]
    assert "purge --compact" in units()["mentorapp-compact.service"]
    assert "MENTORAPP_PURGE_WITH_SENDER=false" in text
