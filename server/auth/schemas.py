from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CodeRequest(_In):
    phone: str = Field(min_length=1, max_length=20)


class CodeRequested(BaseModel):
    phone: str
    expires_in: int
    resend_after: int


class CodeVerify(_In):
    phone: str = Field(min_length=1, max_length=20)
    code: str = Field(pattern=r"^\d{6}$")
    device_name: str = Field(default="", max_length=80)


class UserOut(BaseModel):
    id: str
    phone: str
    full_name: str
    locale: str
    has_pin: bool = False
    role: str = "payer"  # payer | student (a student login sees only its own fees)


class SignedIn(BaseModel):
    token: str
    expires_at: str
    user: UserOut


class PinSet(_In):
    pin: str = Field(max_length=64)
    current_pin: str | None = Field(default=None, max_length=64)


class PinVerify(_In):
    pin: str = Field(max_length=64)


class PinReset(_In):
    code: str = Field(pattern=r"^\d{6}$")
    pin: str = Field(max_length=64)


class ConfirmationOut(BaseModel):
    confirmation: str
    expires_at: str


class BiometricEnable(_In):
    confirmation: str = Field(min_length=1, max_length=200)


class BiometricKey(BaseModel):
    key: str


class BiometricVerify(_In):
    key: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    id: str
    device_name: str
    created_at: str
    last_used_at: str
    current: bool


class SessionList(BaseModel):
    sessions: list[SessionOut]
