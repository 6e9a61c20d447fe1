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


class SignedIn(BaseModel):
    token: str
    expires_at: str
    user: UserOut
