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
    # A session nobody used for this long is over (the app warns and signs out sooner, on its own clock).
    session_idle_seconds: int = 30 * 60
    # App PIN: 5 wrong tries lock it for each delay in turn; past the last one the one-time code is needed.
    pin_max_attempts: int = 5
    pin_lock_seconds: tuple[int, ...] = (60, 300, 900)
    # A PIN or biometric confirmation authorises one payment, shortly after it was given.
    confirmation_ttl_seconds: int = 120
    max_body_bytes: int = 64 * 1024
    # A newer anti-scam guidance document (same shape as domain/data/guidance.json); the newest version is served.
    guidance_file: Path | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    # Staff API (/admin: confirming scam reports). Unset, it does not exist (404); set, it wants
    # `Authorization: Bearer <admin_token>`. Use a long random value (DONGPHI_ADMIN_TOKEN).
    admin_token: str | None = None

    # Payments. The public URL is where providers send callbacks and payers return to.
    public_base_url: str = "http://127.0.0.1:8000"
    payment_ttl_minutes: int = 15
    provider_timeout_seconds: float = 10.0
    # The local payment-provider simulator (server/sandbox). Off in production; with real
    # credentials below and the real URLs, the same code talks to VNPay and MoMo instead.
    sandbox_enabled: bool = True
    vnpay_tmn_code: str = "DONGPHI1"
    vnpay_hash_secret: str = "sandbox-vnpay-secret"
    vnpay_pay_url: str = ""  # default: {public_base_url}/sandbox/vnpay/paymentv2/vpcpay.html
    vnpay_api_url: str = ""  # default: {public_base_url}/sandbox/vnpay/merchant_webapi/api/transaction
    momo_partner_code: str = "MOMODONGPHI"
    momo_access_key: str = "sandbox-momo-access"
    momo_secret_key: str = "sandbox-momo-secret"
    momo_endpoint: str = ""  # default: {public_base_url}/sandbox/momo (…/v2/gateway/api/create, /query)
    # Linking bank accounts and wallets (token linking through the provider's consent page).
    link_partner_code: str = "DONGPHILINK"
    link_secret_key: str = "sandbox-link-secret"
    link_endpoint: str = ""  # default: {public_base_url}/sandbox/link
    link_request_ttl_seconds: int = 600
    # Fernet key (urlsafe base64 of 32 bytes) that encrypts provider tokens at rest. Set it in
    # production; the development default is derived from this constant and is not secret.
    token_encryption_key: str = ""

    # Notifications. The live stream polls the database (any process may have written the row).
    notification_stream_poll_seconds: float = 1.0
    notification_stream_ping_seconds: float = 15.0
    notification_stream_max_seconds: float = 300.0
    # Guided mode's read-aloud (server/speech): espeak-ng's Vietnamese voice, slowed for older listeners.
    # Family (issue 8): how long an invitation and a "pay for me" request stay open.
    family_invitation_ttl_days: int = 7
    pay_request_ttl_days: int = 7
    # Adding a child or patient by code and birth date: this many failed matches within the window
    # and further tries get 429 until the oldest of them leaves it (stops guessing birth dates).
    person_match_max_failures: int = 5
    person_match_window_seconds: int = 3600
    person_match_daily_max_failures: int = 10  # and at most this many in 24 hours
    speech_binary: str = "espeak-ng"
    speech_words_per_minute: int = 140
    # Background jobs inside `serve`: reminders (exactly once per stage) and push/SMS delivery.
    reminder_interval_seconds: float = 300.0
    delivery_interval_seconds: float = 5.0
    delivery_give_up_hours: float = 72.0  # a channel down longer than this: the message is stale
    # Firebase Cloud Messaging HTTP v1: a service-account JSON file; without it push waits in the queue.
    fcm_service_account_file: str = ""
    fcm_api_base: str = ""  # default https://fcm.googleapis.com (tests point it at the local stand-in)

    @property
    def link_api(self) -> str:
        return (self.link_endpoint or self.url("/sandbox/link")).rstrip("/")

    def url(self, path: str) -> str:
        return self.public_base_url.rstrip("/") + path

    @property
    def vnpay_pay_endpoint(self) -> str:
        return self.vnpay_pay_url or self.url("/sandbox/vnpay/paymentv2/vpcpay.html")

    @property
    def vnpay_api_endpoint(self) -> str:
        return self.vnpay_api_url or self.url("/sandbox/vnpay/merchant_webapi/api/transaction")

    @property
    def momo_api(self) -> str:
        return (self.momo_endpoint or self.url("/sandbox/momo")).rstrip("/")


def get_settings() -> Settings:
    return Settings()
