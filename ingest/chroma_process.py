"""Start and stop a local `chroma run` server: what the tests and benchmarks run server mode on.

The server gets its own process group, so stopping it by PID also ends any children, and never
by name: another Chroma on this machine is left alone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chroma_binary() -> str:
    """The `chroma` CLI installed beside this interpreter (part of the chromadb package)."""
    local = Path(sys.executable).parent / "chroma"
    found = str(local) if local.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the chroma CLI is missing: pip install chromadb")
    return found


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    """Start `chroma run` on 127.0.0.1:`port` with data in `path`; wait for its heartbeat.

    Its output goes to `chroma-<port>.log` beside `path`, named in any failure.
    """
    import httpx

    from ingest.store import heartbeat

    path.mkdir(parents=True, exist_ok=True)
    log = path.parent / f"chroma-{port}.log"
    with log.open("wb") as out:  # the child keeps its own copy of the handle
        command = [chroma_binary(), "run", "--path", str(path), "--host", "127.0.0.1"]
        proc = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited early; see {log}")
        with contextlib.suppress(httpx.HTTPError):
            heartbeat("127.0.0.1", port, 2.0)
            return proc
        time.sleep(0.2)
    stop_process(proc)
    raise RuntimeError(f"chroma run did not answer within {START_TIMEOUT:.0f} s; see {log}")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL it if it lingers past 10 s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
