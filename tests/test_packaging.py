"""The wheel: an installed app finds its static files and Bokmål catalogs."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys, tempfile
from mentorapp import create_app, paths
assert "site-packages" in str(paths.STATIC_DIR), paths.STATIC_DIR
app = create_app({"INSTANCE_PATH": tempfile.mkdtemp(), "TESTING": True})
client = app.test_client()
css = client.get("/static/css/app.css")
assert css.status_code == 200 and b"--primary" in css.data, css.status_code
login = client.get("/login", headers={"Accept-Language": "nb"})
assert "<h1>Logg inn</h1>" in login.get_data(as_text=True)
print("wheel ok", paths.STATIC_DIR)
"""


@pytest.mark.slow
def test_the_installed_wheel_serves_static_files_and_bokmal(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(dist.glob("mentorapp-*.whl"))
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=900, check=False)
    assert install.returncode == 0, install.stderr[-2000:]
    # Run from elsewhere, so the checkout is not on the path.
    probe = subprocess.run([str(python), "-c", PROBE], cwd=tmp_path, capture_output=True,
                           text=True, timeout=120, check=False)
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert "wheel ok" in probe.stdout
    # The console script the wheel installs works outside the checkout too.
    environment = {**os.environ, "MENTORAPP_INSTANCE_PATH": str(tmp_path / "instance")}
    script = subprocess.run([str(env_dir / "bin" / "mentorapp"), "vapid-public-key"], cwd=tmp_path,
                            env=environment, capture_output=True, text=True, timeout=120, check=False)
    assert script.returncode == 0, script.stderr[-2000:]
    assert len(script.stdout.strip()) == 87  # a P-256 point, base64url without padding
