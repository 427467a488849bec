"""Serving with gunicorn, the way `make run` and the benchmarks do.

The app is created once in the gunicorn master (migrations run there, before any worker
starts), then the workers are forked from it.
"""

from __future__ import annotations

import multiprocessing

from gunicorn.app.base import BaseApplication

from mentorapp import config


def default_workers() -> int:
    return min(2 * multiprocessing.cpu_count() + 1, 9)


class Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from mentorapp import create_app

        return create_app()


def run(host: str = "127.0.0.1", port: int = 8000, workers: int | None = None) -> None:
    settings = config.from_environment()
    workers = workers or settings["WORKERS"] or default_workers()
    Server({
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        # Request lines hold paths like /c/p/12; the app writes its own structured log.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "mentorapp",
        "forwarded_allow_ips": "127.0.0.1" if settings["PROXY_COUNT"] else "",
    }).run()
