"""Logs of every process as JSON lines, with a conversation hash and, in production, no customer text at all.

`configure(process)` is called by each process at start (the desk, the demo order system, the action server) and,
inside Rasa, by the `ops` channel before the server starts (Rasa's own extension point; `deploy/logging.yml` does
the same through `rasa run --logging-config-file`). With `LOG_MODE=production`:

- a log line keeps the level, the logger, the code location and the message *template*; arguments that are text
  are replaced by "…" (numbers stay), so `logger.info("sent %s", text)` cannot leak what a customer wrote;
- messages of other libraries without a template (f-strings, which may hold anything) are withheld, except from
  the loggers that only speak about the process itself (`PROCESS_LOGGERS`: start, stop, model loading);
- Rasa's structured events keep only their event name ("rest.message.received.failure") and the conversation
  hash, never their fields;
- an exception keeps its type and where it happened: no message, no stack frames, no local variables.

`conversation_hash(sender_id)` is an HMAC (key LOG_HASH_KEY), so the same conversation has the same hash in
every process, and a phone number cannot be recovered from it by trying every number.
"""
from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import logging.config
import os
import sys
import time
import traceback
from typing import Any, Optional

from bot.settings import Settings

OWN_LOGGERS = ("bot", "connectors", "actions", "tests", "rasa_sdk_plugins")
# Libraries' loggers that only speak about the process (start, stop, model loading), never about a message.
PROCESS_LOGGERS = ("sanic.root", "rasa.core.agent", "rasa.engine", "rasa.model", "root")
WITHHELD = "(message withheld in production: it may hold customer text)"
_conversation: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("conversation", default=None)
_SENDER_KEYS = ("sender_id", "conversation_id", "sender")


def conversation_hash(sender_id: str) -> str:
    key = os.environ.get("LOG_HASH_KEY", "local-development-key").encode()
    return hmac.new(key, str(sender_id).encode(), hashlib.sha256).hexdigest()[:16]


def bind_conversation(sender_id: Optional[str]) -> None:
    """Log lines of this task from now on carry the conversation's hash."""
    _conversation.set(conversation_hash(sender_id) if sender_id else None)


def _masked(value: Any) -> Any:
    return value if isinstance(value, (int, float, bool)) or value is None else "…"


def _where(record: logging.LogRecord) -> str:
    return f"{record.module}:{record.lineno}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line; `production` strips everything that could be customer text."""

    def __init__(self, production: Optional[bool] = None, process: str = "") -> None:
        super().__init__()
        self.production = (os.environ.get("LOG_MODE", "development") == "production") if production is None \
            else production
        self.process = process or os.environ.get("LOG_PROCESS", "")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(), "logger": record.name, "where": _where(record),
        }
        if self.process:
            line["process"] = self.process
        conversation = getattr(record, "conversation", None) or _conversation.get()
        structured = self._structlog_event(record)
        if structured is not None:
            event, fields = structured
            line["event"] = event
            sender = next((fields[key] for key in _SENDER_KEYS if isinstance(fields.get(key), str)), None)
            conversation = conversation or (conversation_hash(sender) if sender else None)
            if not self.production:
                line["fields"] = {key: value for key, value in fields.items() if key not in ("event", "level")}
        else:
            line["message"] = self._message(record)
        if conversation:
            line["conversation"] = conversation
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = self._error(record)
        return json.dumps(line, ensure_ascii=False, default=str)

    def _structlog_event(self, record: logging.LogRecord) -> Optional[tuple[str, dict]]:
        """Rasa's structlog renders an event to a JSON string before handing it to the standard logger."""
        message = record.msg
        if isinstance(message, dict):
            fields = message
        elif isinstance(message, str) and message.startswith("{") and '"event"' in message:
            try:
                fields = json.loads(message)
            except ValueError:
                return None
        else:
            return None
        if not isinstance(fields, dict) or not isinstance(fields.get("event"), str):
            return None
        return fields["event"], fields

    def _message(self, record: logging.LogRecord) -> str:
        if not self.production:
            return record.getMessage()
        own = record.name.split(".")[0] in OWN_LOGGERS or record.name.startswith(PROCESS_LOGGERS)
        if not isinstance(record.msg, str) or (not record.args and not own):
            return WITHHELD
        if not record.args:
            return record.msg
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        try:
            return record.msg % tuple(_masked(arg) for arg in args)
        except (TypeError, ValueError):
            return record.msg

    def _error(self, record: logging.LogRecord) -> dict[str, str]:
        kind, error, trace = record.exc_info
        error_line: dict[str, str] = {"type": kind.__name__}
        frames = traceback.extract_tb(trace) if trace else []
        if frames:
            last = frames[-1]
            error_line["at"] = f"{os.path.basename(last.filename)}:{last.lineno} in {last.name}"
        if not self.production:
            error_line["message"] = str(error)
            error_line["trace"] = "".join(traceback.format_exception(kind, error, trace))
        return error_line


def logging_config(process: str, production: Optional[bool] = None) -> dict[str, Any]:
    """A `logging.config.dictConfig` for one process: everything (Sanic's and aiohttp's loggers too) to stdout as
    JSON lines."""
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    formatter = {"()": "bot.logging_setup.JsonFormatter", "process": process}
    if production is not None:
        formatter["production"] = production
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
    libraries = ("sanic.root", "sanic.error", "sanic.access", "aiohttp.access", "aiohttp.server", "rasa_sdk")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": formatter},
        "handlers": {"stdout": handler},
        "root": {"level": level, "handlers": ["stdout"]},
        # Access logs name URLs, and Rasa's API URLs hold conversation ids (a WhatsApp id is a phone number).
        "loggers": {name: {"handlers": ["stdout"], "propagate": False,
                           "level": "CRITICAL" if name.endswith("access") else level} for name in libraries},
    }


def configure(process: str, production: Optional[bool] = None) -> None:
    """Send this process's logs through the JSON formatter (Rasa's structlog events reach it as JSON strings
    through the standard logger, the way Rasa configures structlog)."""
    if production is None:
        production = Settings().log_mode == "production"
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    logging.config.dictConfig(logging_config(process, production))
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught


def _log_uncaught(kind, error, trace) -> None:  # type: ignore[no-untyped-def]
    logging.getLogger("uncaught").critical("uncaught exception", exc_info=(kind, error, trace))
