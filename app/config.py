"""The app's runtime settings from flet.toml, with environment-variable overrides."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FLET_TOML = Path(__file__).resolve().parent.parent / "flet.toml"
SUPPORTED_LOCALES = ("vi", "en")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class AppConfig:
    environment: str
    api_base_url: str
    default_locale: str
    inactivity_minutes: int = 10  # signed out after this long without the user doing anything
    # Firebase Cloud Messaging for the phone apps ([environments.<env>.firebase]); empty: no push.
    firebase: dict[str, str] = field(default_factory=dict, hash=False)


def load_config(path: Path = FLET_TOML, env: dict[str, str] | None = None) -> AppConfig:
    env = dict(os.environ) if env is None else env
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    app = data.get("app", {})
    environment = env.get("DONGPHI_ENV") or app.get("environment", "development")
    environments = data.get("environments", {})
    if environment not in environments:
        raise ConfigError(f"unknown environment {environment!r} in {path.name}; known: {sorted(environments)}")
    url = env.get("DONGPHI_API_URL") or environments[environment].get("api_base_url", "")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"api_base_url for {environment!r} must be an http(s) URL, got {url!r}")
    locale = app.get("default_locale", "vi")
    if locale not in SUPPORTED_LOCALES:
        raise ConfigError(f"default_locale must be one of {SUPPORTED_LOCALES}")
    try:
        inactivity = int(app.get("inactivity_minutes", 10))
    except (TypeError, ValueError):
        raise ConfigError("inactivity_minutes must be a whole number of minutes") from None
    if inactivity < 1:
        raise ConfigError("inactivity_minutes must be at least 1")
    firebase = environments[environment].get("firebase", {})
    if not isinstance(firebase, dict) or not all(isinstance(v, str) for v in firebase.values()):
        raise ConfigError(f"[environments.{environment}.firebase] must hold text values")
    return AppConfig(environment=environment, api_base_url=url.rstrip("/"), default_locale=locale,
                     inactivity_minutes=inactivity, firebase=dict(firebase))
