"""A real gunicorn server for tests: started, stopped, and killed on demand."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`mentorapp serve` on a temporary instance folder, with the test world in its database."""

    def __init__(self, folder: Path, workers: int = 2, extra_env: dict | None = None):
        self.folder = Path(folder)
        self.instance = self.folder / "instance"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = {**os.environ, "MENTORAPP_INSTANCE_PATH": str(self.instance),
                    "MENTORAPP_LOG_LEVEL": "WARNING", **(extra_env or {})}
        self.process: subprocess.Popen | None = None
        self.world = None
        self.log = self.folder / "server.log"

    @property
    def database(self) -> str:
        return str(self.instance / "mentorapp.db")

    def build_world(self):
        from mentorapp import create_app
        from tests.support import world

        app = create_app({"INSTANCE_PATH": str(self.instance)})
        with app.app_context(), app.test_request_context():
            self.world = world.build(app)
        return self.world

    def start(self, build_world: bool = True) -> None:
        if build_world and self.world is None:
            self.build_world()
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mentorapp", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not answer /healthz within 30 s")

    def kill(self) -> None:
        """SIGKILL to the whole process group: no graceful anything, like a power cut."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
