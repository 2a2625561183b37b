"""Channel configuration: credentials.yml names the environment variables that hold the secrets.

A connector's block in credentials.yml holds no secret, only the names of the variables to read
(`app_secret_env: META_APP_SECRET`), so Rasa starts on a machine without any Meta secret: an unset
variable leaves the channel unconfigured, and an unconfigured channel refuses every webhook with 403.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

GRAPH_API_URL = "https://graph.facebook.com"
GRAPH_API_VERSION = "v21.0"
MESSENGER_INPUT = "connectors.messenger.MessengerInput"
WHATSAPP_INPUT = "connectors.whatsapp.WhatsAppInput"


def _from_env(credentials: Mapping[str, Any], key: str, default_variable: str, environ: Mapping[str, str]) -> str:
    """The value of the environment variable that `<key>_env` names (or the default variable)."""
    variable = credentials.get(f"{key}_env") or default_variable
    return str(environ.get(str(variable), "")).strip()


@dataclass(frozen=True)
class GraphSettings:
    """Where the Graph API is (tests point this at a local fake) and how long to wait for it."""

    base_url: str = GRAPH_API_URL
    version: str = GRAPH_API_VERSION
    timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "GraphSettings":
        return cls(
            base_url=(environ.get("GRAPH_API_URL") or GRAPH_API_URL).rstrip("/"),
            version=environ.get("GRAPH_API_VERSION") or GRAPH_API_VERSION,
            timeout_seconds=float(environ.get("GRAPH_API_TIMEOUT") or 10.0),
        )

    def url(self, path: str) -> str:
        return f"{self.base_url}/{self.version}/{path.lstrip('/')}"


@dataclass(frozen=True)
class MessengerConfig:
    page_access_token: str
    app_secret: str
    verify_token: str

    @classmethod
    def from_credentials(cls, credentials: Optional[Mapping[str, Any]],
                         environ: Mapping[str, str] = os.environ) -> "MessengerConfig":
        credentials = credentials or {}
        return cls(
            page_access_token=_from_env(credentials, "page_access_token", "MESSENGER_PAGE_TOKEN", environ),
            app_secret=_from_env(credentials, "app_secret", "META_APP_SECRET", environ),
            verify_token=_from_env(credentials, "verify_token", "MESSENGER_VERIFY_TOKEN", environ),
        )

    @property
    def can_send(self) -> bool:
        return bool(self.page_access_token)


@dataclass(frozen=True)
class WhatsAppConfig:
    access_token: str
    app_secret: str
    verify_token: str
    phone_number_id: str
    # An approved template with one body parameter, for agent replies after the 24-hour window ("" = refuse).
    agent_template: str = ""
    # Our language code -> the template's language code where they differ (e.g. {"en": "en_GB"}).
    template_languages: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_credentials(cls, credentials: Optional[Mapping[str, Any]],
                         environ: Mapping[str, str] = os.environ) -> "WhatsAppConfig":
        credentials = credentials or {}
        languages = credentials.get("template_languages") or {}
        return cls(
            access_token=_from_env(credentials, "access_token", "WHATSAPP_ACCESS_TOKEN", environ),
            app_secret=_from_env(credentials, "app_secret", "META_APP_SECRET", environ),
            verify_token=_from_env(credentials, "verify_token", "WHATSAPP_VERIFY_TOKEN", environ),
            phone_number_id=_from_env(credentials, "phone_number_id", "WHATSAPP_PHONE_NUMBER_ID", environ),
            agent_template=_from_env(credentials, "agent_template", "WHATSAPP_AGENT_TEMPLATE", environ),
            template_languages={str(k): str(v) for k, v in languages.items()} if isinstance(languages, dict) else {},
        )

    @property
    def can_send(self) -> bool:
        return bool(self.access_token and self.phone_number_id)

    def template_language(self, language: str) -> str:
        return self.template_languages.get(language, language)


def channel_credentials(path: Path) -> dict[str, Any]:
    """The blocks of credentials.yml, for processes that are not Rasa (the desk)."""
    if not path.exists():
        return {}
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return loaded if isinstance(loaded, dict) else {}
