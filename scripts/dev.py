#!/usr/bin/env python3
"""The two commands of the README, for a fresh machine with Python 3.11+.

    python3 scripts/dev.py demo   # install, then run the API (demo data, sandbox) and the app
    python3 scripts/dev.py test   # install, then run every test

Installs into ./.venv (created when missing); reinstalls only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
# The app's own Flet extension is not on PyPI: installed from the repository before the app needs it.
EXTENSIONS = [ROOT / "extensions" / "flet-dongphi-device"]
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
API_PORT = int(os.environ.get("DONGPHI_API_PORT", "8000"))
APP_PORT = int(os.environ.get("DONGPHI_APP_PORT", "8550"))


def install(extra: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit("Đóng Phí needs Python 3.11 or newer")
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(b"".join((p / "pyproject.toml").read_bytes() for p in (ROOT, *EXTENSIONS))
                            + extra.encode()).hexdigest()
    stamp = VENV / f".installed-{extra}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"installing dependencies ({extra})…", flush=True)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    for extension in EXTENSIONS:  # first, so the app's dependency on it resolves without PyPI
        subprocess.run([PY, "-m", "pip", "install", "--quiet", "-e", str(extension)], check=True)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{extra}]"], check=True)
    stamp.write_text(digest)


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{url} did not start (exit code {proc.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer within {timeout:.0f}s")


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def demo() -> int:
    install("server,desktop")
    for port in (API_PORT, APP_PORT):
        if not port_free(port):
            sys.exit(f"port {port} is busy: stop what uses it, or set DONGPHI_API_PORT / DONGPHI_APP_PORT")
    env = dict(os.environ, PYTHONUNBUFFERED="1", DONGPHI_API_URL=f"http://127.0.0.1:{API_PORT}",
               DONGPHI_APP_PORT=str(APP_PORT))
    server = subprocess.Popen([PY, "-m", "server", "serve", "--demo", "--port", str(API_PORT)], cwd=ROOT, env=env)
    procs = [server]
    try:
        wait_http(f"http://127.0.0.1:{API_PORT}/health", server)
        outbox = ROOT / "data" / "sms_outbox.jsonl"
        print("\n" + "=" * 72)
        print(f"API:           http://127.0.0.1:{API_PORT}  (docs at /docs)")
        print("Demo phone:    0912 345 678")
        print(f"One-time code: the last line of {outbox} (also printed in the API log)")
        print("=" * 72 + "\n", flush=True)
        app = subprocess.Popen([PY, "main.py"], cwd=ROOT, env=env)
        procs.append(app)
        return app.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.send_signal(signal.SIGINT if os.name != "nt" else signal.SIGTERM)
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()


def test(args: list[str]) -> int:
    install("dev")
    return subprocess.run([PY, "-m", "pytest", *args], cwd=ROOT).returncode


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test"):
        print(__doc__)
        return 2
    return demo() if sys.argv[1] == "demo" else test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
