"""Settings from the environment (prefix DONGPHI_, plus DATABASE_URL): one place to configure."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DONGPHI_", extra="ignore")

    environment: str = "development"
    database_url: str = Field(
        default=f"sqlite:///{DATA_DIR / 'dongphi.db'}",
        validation_alias="DATABASE_URL",
    )
    # SMS: in development every message goes to the log and to this outbox file (JSON lines).
    sms_outbox: Path = DATA_DIR / "sms_outbox.jsonl"
    otp_secret: str = "dev-only-otp-secret-change-me"
    otp_ttl_seconds: int = 300
    otp_max_attempts: int = 5
    otp_resend_interval_seconds: int = 60
    otp_max_per_hour: int = 5
    session_ttl_seconds: int = 30 * 24 * 3600
    max_body_bytes: int = 64 * 1024
    timezone: str = "Asia/Ho_Chi_Minh"


def get_settings() -> Settings:
    return Settings()
