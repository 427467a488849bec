"""Finding Debian's Chromium and starting it the way this closed network allows."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import NoReturn

import pytest

# Root needs --no-sandbox; the others stop Chromium's own calls to Google, which the
# closed network refuses (and which would slow every start).
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-features=Translate,OptimizationHints,MediaRouter",
]

CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def missing(reason: str) -> NoReturn:
    """A part the browser tests need is not here: CI must not pass without those tests;
    elsewhere they skip, loudly."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


@cache
def chromium_path() -> str | None:
    for candidate in CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


@cache
def chromium_version() -> str | None:
    path = chromium_path()
    if not path:
        return None
    try:
        out = subprocess.run([path, "--version", "--no-sandbox"], capture_output=True,
                             text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page. The page's CSP blocks script tags,
    so the source goes in through evaluate()."""
    if not AXE.exists():
        missing(f"{AXE} is missing: `make test` installs axe-core with npm")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return result


# Touch targets under 44 × 44 px that a finger must hit (WCAG 2.5.5's size, as the app promises).
SMALL_TARGETS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('button, input:not([type=hidden]), select, textarea, .chip label, nav a, a.button')) {
    if (el.closest('[hidden]')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // A chip or a checkbox is tapped on its label: measure what the finger hits.
    const target = el.matches('.chip input') ? el.nextElementSibling.getBoundingClientRect()
      : el.closest('.check') ? el.closest('.check').getBoundingClientRect() : box;
    if (target.height < 44 || target.width < 44) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${Math.round(target.width)}x${Math.round(target.height)}`);
    }
  }
  return out;
}"""
