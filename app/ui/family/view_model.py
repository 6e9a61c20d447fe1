"""A person's family: its members and roles, inviting by phone, removing, open invitations; and the
invitations this user received (accepted or declined from the home screen)."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app.data.api import ApiFailure
from app.data.bills import BillsRepository
from app.data.family import FamilyRepository
from app.models import FamilyInvitation, FamilyMemberInfo
from domain.phone import InvalidPhoneNumber, normalize_phone

ROLES = ("payer", "viewer")


@ft.observable
@dataclass
class FamilyViewModel:
    family: FamilyRepository
    bills: BillsRepository
    person_id: str
    person_name: str = ""
    person_kind: str = ""  # student | patient: a student can have a login of their own
    members: list[FamilyMemberInfo] | None = None
    invitations: list[FamilyInvitation] = None  # None: not a payer of this person (only payers see them)
    loading: bool = False
    error: ApiFailure | None = None
    busy_id: str | None = None  # the member or invitation an action runs on (blocks double taps)
    confirm_id: str | None = None  # removing a member or withdrawing an invitation asks once more
    action_error: ApiFailure | None = None
    # inviting
    phone: str = ""
    role: str = ""  # chosen explicitly: payer (sees and pays) or viewer (sees only)
    relation: str = ""
    problem: str | None = None  # a local check's failure code: invalid_phone | role_missing
    inviting: bool = False
    invite_error: ApiFailure | None = None
    sent: FamilyInvitation | None = None
    left: bool = False  # I left this family

    async def load(self) -> None:
        if self.loading:
            return
        self.loading, self.error = True, None
        try:
            if not self.person_name:
                self.person_name = await self._person_name()
            self.members = await self.family.members(self.person_id)
            await self._load_invitations()
        except ApiFailure as failure:
            self.error = failure
        finally:
            self.loading = False

    async def _person_name(self) -> str:
        try:
            outstanding = (await self.bills.outstanding()).value
        except ApiFailure:
            return ""
        person = next((g.person for g in outstanding.groups if g.person.id == self.person_id), None)
        self.person_kind = person.kind if person else ""
        return person.full_name if person else ""

    async def _load_invitations(self) -> None:
        if not self.i_am_payer:
            self.invitations = None
            return
        self.invitations = await self.family.invitations(self.person_id)

    @property
    def i_am_payer(self) -> bool:
        me = next((m for m in self.members or [] if m.is_me), None)
        return me is not None and me.role == "payer"

    # -- removing and withdrawing ---------------------------------------------------------------
    def ask(self, item_id: str | None) -> None:
        self.confirm_id, self.action_error = item_id, None

    async def remove(self, member_id: str) -> bool:
        leaving = any(m.id == member_id and m.is_me for m in self.members or [])
        done = await self._act(member_id, lambda: self.family.remove_member(self.person_id, member_id),
                               reload=not leaving)
        if done and leaving:
            self.left = True  # the screen goes home: this person's family is no longer ours to see
        return done

    async def withdraw(self, invitation_id: str) -> bool:
        return await self._act(invitation_id, lambda: self.family.withdraw(invitation_id))

    async def _act(self, item_id: str, action, reload: bool = True) -> bool:
        if self.busy_id or self.inviting:
            return False
        self.busy_id, self.action_error = item_id, None
        try:
            await action()
            self.confirm_id = None
            if reload:
                self.members = await self.family.members(self.person_id)
                await self._load_invitations()
            return True
        except ApiFailure as failure:
            if failure.code == "person_not_found":  # I left the family: nothing more to show here
                self.members, self.invitations = [], None
            self.action_error = failure
            return False
        finally:
            self.busy_id = None

    # -- inviting --------------------------------------------------------------------------------
    def type_phone(self, text: str) -> None:
        self.phone, self.problem, self.sent = text, None, None

    def choose_role(self, role: str) -> None:
        if role in ROLES:
            self.role, self.problem = role, None

    def type_relation(self, text: str) -> None:
        self.relation = text

    async def invite(self) -> FamilyInvitation | None:
        if self.inviting or self.busy_id:
            return None
        try:
            phone = normalize_phone(self.phone)
        except InvalidPhoneNumber:
            self.problem = "invalid_phone"
            return None
        if self.role not in ROLES:
            self.problem = "role_missing"
            return None
        self.inviting, self.invite_error, self.problem = True, None, None
        try:
            self.sent = await self.family.invite(self.person_id, phone, self.role, self.relation.strip())
        except ApiFailure as failure:
            self.invite_error = failure
            return None
        finally:
            self.inviting = False
        self.phone, self.relation, self.role = "", "", ""
        try:
            await self._load_invitations()
        except ApiFailure:
            pass  # sent; the list catches up on the next load
        return self.sent


@ft.observable
@dataclass
class ReceivedInvitationsViewModel:
    """Invitations to this user's number, shown on the home screen until answered."""

    family: FamilyRepository
    invitations: list[FamilyInvitation] | None = None
    loading: bool = False
    busy_id: str | None = None
    error: ApiFailure | None = None

    async def load(self) -> None:
        if self.loading or self.busy_id:
            return
        self.loading = True
        try:
            self.invitations = await self.family.received()
        except ApiFailure:
            pass  # the card is an extra: offline it keeps what it had (the bills say we are offline)
        finally:
            self.loading = False

    async def accept(self, invitation_id: str) -> bool:
        return await self._answer(invitation_id, self.family.accept)

    async def decline(self, invitation_id: str) -> bool:
        return await self._answer(invitation_id, self.family.decline)

    async def _answer(self, invitation_id: str, action) -> bool:
        if self.busy_id:
            return False
        self.busy_id, self.error = invitation_id, None
        try:
            await action(invitation_id)
            ok = True
        except ApiFailure as failure:
            self.error = failure
            ok = False
        finally:
            self.busy_id = None
        if ok or (self.error is not None and self.error.code in ("invitation_withdrawn", "invitation_expired",
                                                                 "invitation_already_answered",
                                                                 "invitation_not_found")):
            self.invitations = [i for i in self.invitations or [] if i.id != invitation_id]
        return ok
