"""A person's family (members, invitations by phone) and "Nhờ người thân trả" pay requests, through the API.

No cache: who is in a family and whether a request is still open must be asked each time.
"""

from __future__ import annotations

import datetime as dt

from app.data.api import ApiClient, read_answer
from app.models import (FamilyInvitation, FamilyMemberInfo, FamilyPerson, Payment, PayRequestInfo, PayRequestLink,
                        PayRequestView)


class FamilyRepository:
    def __init__(self, api: ApiClient):
        self._api = api

    async def add_person(self, kind: str, institution_id: str, code: str, date_of_birth: dt.date,
                         relation: str = "") -> FamilyPerson:
        """Link a student (kind "student", at a school) or a patient ("patient", at a hospital) by the code
        and birth date the institution has on record. Errors: institution_not_found, person_not_matched,
        person_already_added, too_many_attempts (details.retry_after_seconds), student_not_allowed."""
        path = "/family/students" if kind == "student" else "/family/patients"
        body = await self._api.post(path, {"institution_id": institution_id, "code": code,
                                           "date_of_birth": date_of_birth.isoformat(), "relation": relation})
        return read_answer(FamilyPerson.from_json, body)

    async def members(self, person_id: str) -> list[FamilyMemberInfo]:
        body = await self._api.get(f"/family/people/{person_id}/members")
        return read_answer(lambda b: [FamilyMemberInfo.from_json(m) for m in b], body)

    async def invitations(self, person_id: str) -> list[FamilyInvitation]:
        """The person's open invitations (only a payer may see them)."""
        body = await self._api.get(f"/family/people/{person_id}/invitations")
        return read_answer(lambda b: [FamilyInvitation.from_json(i) for i in b], body)

    async def invite(self, person_id: str, phone: str, role: str, relation: str = "") -> FamilyInvitation:
        body = await self._api.post("/family/invitations", {"person_id": person_id, "phone": phone, "role": role,
                                                            "relation": relation})
        return read_answer(FamilyInvitation.from_json, body)

    async def withdraw(self, invitation_id: str) -> None:
        await self._api.delete(f"/family/invitations/{invitation_id}")

    async def remove_member(self, person_id: str, member_id: str) -> None:
        await self._api.delete(f"/family/people/{person_id}/members/{member_id}")

    async def student_account(self, person_id: str) -> str | None:
        """The masked phone of the student's own login, or None when there is none."""
        from app.data.api import NotFoundFailure
        try:
            body = await self._api.get(f"/family/people/{person_id}/student-account")
        except NotFoundFailure:
            return None
        return read_answer(lambda b: str(b["phone_masked"]), body)

    async def create_student_account(self, person_id: str, phone: str) -> str:
        body = await self._api.post(f"/family/people/{person_id}/student-account", {"phone": phone})
        return read_answer(lambda b: str(b["phone_masked"]), body)

    async def remove_student_account(self, person_id: str) -> None:
        await self._api.delete(f"/family/people/{person_id}/student-account")

    async def received(self) -> list[FamilyInvitation]:
        body = await self._api.get("/family/invitations/received")
        return read_answer(lambda b: [FamilyInvitation.from_json(i) for i in b], body)

    async def accept(self, invitation_id: str) -> None:
        await self._api.post(f"/family/invitations/{invitation_id}/accept", {})

    async def decline(self, invitation_id: str) -> None:
        await self._api.post(f"/family/invitations/{invitation_id}/decline", {})


class PayRequestsRepository:
    def __init__(self, api: ApiClient):
        self._api = api

    async def create(self, bill_id: str) -> PayRequestLink:
        """A new link each time (never repeated after a lost answer: the token is shown only in the answer)."""
        body = await self._api.post(f"/bills/{bill_id}/pay-requests", {})
        return read_answer(PayRequestLink.from_json, body)

    async def for_bill(self, bill_id: str) -> list[PayRequestInfo]:
        body = await self._api.get(f"/bills/{bill_id}/pay-requests")
        return read_answer(lambda b: [PayRequestInfo.from_json(r) for r in b], body)

    async def withdraw(self, bill_id: str, request_id: str) -> None:
        await self._api.delete(f"/bills/{bill_id}/pay-requests/{request_id}")

    async def view(self, token: str) -> PayRequestView:
        """The public view: the token is the only credential (no session sent)."""
        return read_answer(PayRequestView.from_json, await self._api.get(f"/pay-requests/{token}", auth=False))

    async def pay(self, token: str, method: str, idempotency_key: str) -> Payment:
        """Pay the request's bill in the signed-in user's own name; one key, one payment."""
        body = await self._api.post(f"/pay-requests/{token}/payments", {"method": method},
                                    idempotency_key=idempotency_key)
        return read_answer(Payment.from_json, body)
