"""Configuration from environment variables, with defaults that work on a developer's machine."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The demo order system's API key when ORDERS_API_KEY is unset: fine on a developer's machine, never in production.
LOCAL_ORDERS_API_KEY = "local-demo-orders-key"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _env_language_map(name: str) -> dict[str, str]:
    """`sv=nb,bs=hr` -> {"sv": "nb", "bs": "hr"}: unsupported languages answered in a supported one."""
    pairs = (item.split("=", 1) for item in os.environ.get(name, "").split(",") if "=" in item)
    return {source.strip().lower(): target.strip().lower() for source, target in pairs}


def _cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's)."""
    return len(os.sched_getaffinity(0)) or 1


@dataclass(frozen=True)
class Settings:
    redis_host: str = field(default_factory=lambda: os.environ.get("REDIS_HOST", "127.0.0.1"))
    redis_port: int = field(default_factory=lambda: _env_int("REDIS_PORT", 6379))
    redis_db: int = field(default_factory=lambda: _env_int("REDIS_DB", 0))
    rasa_port: int = field(default_factory=lambda: _env_int("RASA_PORT", 5005))
    # Processes per machine: Rasa's and the action server's Sanic workers share one port (the kernel spreads the
    # connections); one per core by default, since one Rasa process uses one core (bench/load.py measures it).
    rasa_workers: int = field(default_factory=lambda: _env_int("RASA_WORKERS", _cores()))
    action_workers: int = field(default_factory=lambda: _env_int("ACTION_WORKERS", _cores()))
    action_port: int = field(default_factory=lambda: _env_int("ACTION_PORT", 5055))
    desk_port: int = field(default_factory=lambda: _env_int("DESK_PORT", 8080))
    host: str = field(default_factory=lambda: os.environ.get("BIND_HOST", "127.0.0.1"))
    model: Path = field(default_factory=lambda: Path(os.environ.get("MODEL", PROJECT_ROOT / "models/current.tar.gz")))
    # Production Redis (bot/redis_connection.py): a URL (redis:// or rediss:// with password and db) or Sentinels
    # ("host:26379,host2:26379") with the master's name; both win over REDIS_HOST/PORT/DB.
    redis_url: str = field(default_factory=lambda: os.environ.get("REDIS_URL", ""))
    redis_sentinels: str = field(default_factory=lambda: os.environ.get("REDIS_SENTINELS", ""))
    redis_sentinel_master: str = field(default_factory=lambda: os.environ.get("REDIS_SENTINEL_MASTER", "mymaster"))
    redis_password: str = field(default_factory=lambda: os.environ.get("REDIS_PASSWORD", ""))
    # Rasa's conversation lock lives this long (s) when its holder dies: a replica killed mid-message blocks that
    # conversation no longer (Rasa's default is 60 s; the intake already keeps each customer's messages in line).
    ticket_lock_lifetime: int = field(default_factory=lambda: _env_int("TICKET_LOCK_LIFETIME", 15))
    run_dir: Path = field(default_factory=lambda: Path(os.environ.get("RUN_DIR", PROJECT_ROOT / "run")))
    # Rasa's HTTP API (tracker, events) is protected by this token; `bot run` makes one up when it is unset.
    rasa_token: str = field(default_factory=lambda: os.environ.get("RASA_AUTH_TOKEN", ""))
    # The demo order system (bot/orders/demo_server) and the key its API asks for.
    orders_port: int = field(default_factory=lambda: _env_int("ORDERS_PORT", 8090))
    orders_api_key: str = field(default_factory=lambda: os.environ.get("ORDERS_API_KEY", LOCAL_ORDERS_API_KEY))
    # Unsupported languages this deployment answers in a supported one (e.g. `sv=nb`: Swedish customers get
    # Norwegian); by default every unsupported language gets English and the list of languages we speak.
    unsupported_language_replies: dict[str, str] = field(
        default_factory=lambda: _env_language_map("UNSUPPORTED_LANGUAGE_REPLIES"))
    # The desk behind a proxy (the ingress): its addresses (CIDRs, comma-separated), whose X-Forwarded-For is
    # believed for the login throttle. Cookies are Secure whenever the desk is not opened on localhost, or always
    # with DESK_SECURE_COOKIES=1.
    desk_trusted_proxies: str = field(default_factory=lambda: os.environ.get("DESK_TRUSTED_PROXIES", ""))
    desk_secure_cookies: bool = field(default_factory=lambda: os.environ.get("DESK_SECURE_COOKIES") == "1")
    # Seconds of the first wait after too many failed logins (doubling after each further failure).
    desk_login_backoff: float = field(default_factory=lambda: float(os.environ.get("DESK_LOGIN_BACKOFF", "1")))
    # `production`: JSON log lines without any customer text (bot/logging_setup.py); `development`: readable lines.
    log_mode: str = field(default_factory=lambda: os.environ.get("LOG_MODE", "development"))

    @property
    def rasa_url(self) -> str:
        return os.environ.get("RASA_URL", f"http://{self.host}:{self.rasa_port}")

    @property
    def action_server_url(self) -> str:
        return os.environ.get("ACTION_SERVER_URL", f"http://{self.host}:{self.action_port}/webhook")

    @property
    def orders_url(self) -> str:
        return os.environ.get("ORDERS_URL", f"http://{self.host}:{self.orders_port}")

    def environment(self) -> dict[str, str]:
        """These settings as environment variables, for the processes of the stack (endpoints.yml reads them too)."""
        return {
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_DB": str(self.redis_db),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_PORT": str(self.action_port),
            "DESK_PORT": str(self.desk_port),
            "BIND_HOST": self.host,
            "MODEL": str(self.model),
            "RUN_DIR": str(self.run_dir),
            "ACTION_SERVER_URL": self.action_server_url,
            "RASA_AUTH_TOKEN": self.rasa_token,
            "REDIS_URL": self.redis_url,
            "REDIS_SENTINELS": self.redis_sentinels,
            "REDIS_SENTINEL_MASTER": self.redis_sentinel_master,
            "REDIS_PASSWORD": self.redis_password,
            "TICKET_LOCK_LIFETIME": str(self.ticket_lock_lifetime),
            "ORDERS_URL": self.orders_url,
            "ORDERS_PORT": str(self.orders_port),
            "ORDERS_API_KEY": self.orders_api_key,
        }
