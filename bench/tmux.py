"""A private tmux server for driving the real app in a real terminal: keys in, screen text out."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

WIDTH, HEIGHT = 160, 45
# Seconds between screen captures. A capture is a tmux process (~5 ms, ~2 ms of CPU): polling harder
# would take CPU from the app being measured on a small machine.
POLL = 0.005


class TmuxMissing(RuntimeError):
    """tmux is not installed, so the app cannot be measured in a terminal."""


class Tmux:
    """A tmux server on its own socket and without the user's config, so nothing of the user's is touched."""

    def __init__(self, name: str) -> None:
        if shutil.which("tmux") is None:
            raise TmuxMissing("tmux is not installed (apt-get install tmux); the app measurements need it")
        self.base = ["tmux", "-L", name, "-f", os.devnull]
        # A session that only waits keeps the server up, so each app start pays for a pane, not a server.
        self._run("new-session", "-d", "-s", "keeper", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 86400")
        self.socket = Path(self._run("display-message", "-p", "#{socket_path}").strip())

    def _run(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], check=True, capture_output=True, text=True).stdout

    def launch(self, session: str, command: list[str], env: dict[str, str], cwd: str) -> None:
        """Start a command in a new detached session of WIDTH x HEIGHT; `exec` makes it the pane's process."""
        options = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
        self._run("new-session", "-d", "-s", session, "-x", str(WIDTH), "-y", str(HEIGHT), "-c", cwd, *options,
                  "exec " + shlex.join(command))

    def screen(self, session: str) -> list[str]:
        """The visible lines of the session's pane, as plain text."""
        return self._run("capture-pane", "-p", "-t", session).split("\n")

    def keys(self, session: str, *keys: str) -> None:
        """Press keys by tmux name (Enter, Down, C-u, ...)."""
        self._run("send-keys", "-t", session, *keys)

    def type(self, session: str, text: str) -> None:
        """Type text literally."""
        self._run("send-keys", "-t", session, "-l", text)

    def pid(self, session: str) -> int:
        """The process id of the pane's program."""
        return int(self._run("display-message", "-p", "-t", session, "#{pane_pid}").strip())

    def alive(self, session: str) -> bool:
        """Whether the session still exists (it ends when its program exits)."""
        return subprocess.run([*self.base, "has-session", "-t", session], capture_output=True).returncode == 0

    def wait_for(
        self, session: str, test: Callable[[list[str]], bool], timeout: float
    ) -> tuple[float, list[str]] | None:
        """Capture the screen until test(lines) holds: (the time that capture returned, the lines), or None."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            lines = self.screen(session)
            seen = time.perf_counter()
            if test(lines):
                return seen, lines
            time.sleep(POLL)
        return None

    def capture_seconds(self, session: str, times: int = 20) -> float:
        """How long one screen capture takes: the resolution of every screen timing."""
        started = time.perf_counter()
        for _ in range(times):
            self.screen(session)
        return (time.perf_counter() - started) / times

    def close(self, session: str, timeout: float = 5.0) -> None:
        """Quit the app with ctrl+q; kill the session if it has not ended in time."""
        if not self.alive(session):
            return
        self.keys(session, "C-q")
        deadline = time.perf_counter() + timeout
        while self.alive(session) and time.perf_counter() < deadline:
            time.sleep(0.05)
        if self.alive(session):
            subprocess.run([*self.base, "kill-session", "-t", session], capture_output=True)

    def stop(self) -> None:
        """End this private server (and only it), and remove its socket, which tmux leaves behind."""
        subprocess.run([*self.base, "kill-server"], capture_output=True)
        self.socket.unlink(missing_ok=True)
