"""Redis as production runs it, on 127.0.0.1: a master and a replica (both with the append-only file) watched by
three Sentinels that fail over to the replica when the master stops answering. For `make bench-faults` and the
failover test."""
from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Optional

import redis

from bot.services import DURABLE_REDIS_OPTIONS, free_port, port_open, redis_server_binary, wait_until

MASTER_NAME = "mymaster"
DOWN_AFTER_MS = 1000
FAILOVER_TIMEOUT_MS = 3000


class SentinelRedis:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.ports = [free_port(), free_port()]  # the first starts as master
        self.sentinel_ports = [free_port() for _ in range(3)]
        self.processes: dict[int, subprocess.Popen] = {}

    @property
    def sentinels(self) -> str:
        """The value of REDIS_SENTINELS."""
        return ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports)

    def _run(self, port: int, arguments: list[str]) -> None:
        log = open(self.directory / f"redis-{port}.log", "ab")
        self.processes[port] = subprocess.Popen([redis_server_binary(), *arguments], stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
        wait_until(lambda: port_open("127.0.0.1", port), 15, f"Redis on {port}", self.processes[port])

    def start_server(self, port: int, replica_of: Optional[int] = None) -> None:
        data = self.directory / f"data-{port}"
        data.mkdir(parents=True, exist_ok=True)
        arguments = ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(data), *DURABLE_REDIS_OPTIONS]
        if replica_of:
            arguments += ["--replicaof", "127.0.0.1", str(replica_of)]
        self._run(port, arguments)

    def start(self) -> "SentinelRedis":
        self.directory.mkdir(parents=True, exist_ok=True)
        self.start_server(self.ports[0])
        self.start_server(self.ports[1], replica_of=self.ports[0])
        for port in self.sentinel_ports:
            config = self.directory / f"sentinel-{port}.conf"
            config.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {self.directory}\n"
                f"sentinel monitor {MASTER_NAME} 127.0.0.1 {self.ports[0]} 2\n"
                f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
                f"sentinel failover-timeout {MASTER_NAME} {FAILOVER_TIMEOUT_MS}\n"
                f"sentinel parallel-syncs {MASTER_NAME} 1\n")
            self._run(port, [str(config), "--sentinel"])
        wait_until(lambda: self._replica_in_sync(), 30, "the Redis replica")
        return self

    def _replica_in_sync(self) -> bool:
        info = redis.Redis(port=self.ports[0], socket_timeout=2).info("replication")
        return info.get("connected_slaves", 0) >= 1

    def master_port(self) -> int:
        for port in self.sentinel_ports:
            try:
                _, master = redis.Redis(port=port, socket_timeout=2).sentinel_get_master_addr_by_name(MASTER_NAME)
                return int(master)
            except (redis.RedisError, TypeError):
                continue
        raise RuntimeError("no Sentinel answers")

    def kill_master(self) -> int:
        """kill -9 the current master; returns its port."""
        port = self.master_port()
        self.processes[port].kill()
        self.processes[port].wait(10)
        return port

    def wait_for_failover(self, old_master: int, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                port = self.master_port()
                if port != old_master and redis.Redis(port=port, socket_timeout=2).info("replication")["role"] == "master":
                    return port
            except (redis.RedisError, RuntimeError):
                pass
            time.sleep(0.2)
        raise TimeoutError("the Sentinels did not fail over")

    def restart_as_replica(self, port: int) -> None:
        """The old master comes back; the Sentinels turn it into a replica of the new master."""
        self.start_server(port)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
