"""Who is in a person's family and how they got there: invitations by phone, roles, removal.

Rules (issue 8):
- Only a payer of the person invites; the invitee is whoever signs in with that phone, now or later.
- The member who linked the person first (with code and birth date) manages the family: they may remove
  anyone; an inviter may remove the members they invited; anyone may leave. Nobody removes the last payer.
- Changes to one person's family are serialised on the person's row, so two removals cannot leave none.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from domain.phone import mask_phone
from server.auth.models import User
from server.auth.service import parse_phone
from server.clock import as_utc
from server.errors import ApiError
from server.family.models import FamilyInvitation
from server.family.schemas import InvitationOut, Invite, MemberOut
from server.people.models import FamilyMember, Person
from server.people.schemas import PersonOut
from server.people.service import person_out
from server.students.access import refuse_student, student_account

INVITATION_TTL_DAYS = 7
MAX_PENDING_PER_PERSON = 10  # a family is a handful of people; more open invitations is a mistake or abuse


def member_of(db: Session, user_id: str, person_id: str) -> FamilyMember | None:
    return db.scalars(select(FamilyMember).where(FamilyMember.user_id == user_id,
                                                 FamilyMember.person_id == person_id)).first()


def require_member(db: Session, user_id: str, person_id: str) -> FamilyMember:
    # Someone else's person and no person look the same from outside.
    member = member_of(db, user_id, person_id)
    if member is None:
        raise ApiError(404, "person_not_found", "no such person in your family")
    return member


def require_payer(member: FamilyMember, action: str) -> None:
    if member.role != "payer":
        raise ApiError(403, "family_payer_only", f"only a payer of this person can {action}")


def _lock_person(db: Session, person_id: str) -> None:
    db.scalars(select(Person.id).where(Person.id == person_id).with_for_update()).first()


def _members(db: Session, person_id: str) -> list[FamilyMember]:
    return list(db.scalars(select(FamilyMember).where(FamilyMember.person_id == person_id)
                           .order_by(FamilyMember.added_at, FamilyMember.id)))


def manager(members: list[FamilyMember]) -> FamilyMember | None:
    """The payer who linked the person first; if they left, the next one (then the oldest payer)."""
    payers = [m for m in members if m.role == "payer"]
    linked = [m for m in payers if m.added_by_user_id is None]
    return (linked or payers or [None])[0]


def may_remove(actor: FamilyMember, target: FamilyMember, members: list[FamilyMember]) -> bool:
    if actor.id == target.id:
        return True  # leaving
    if actor.role != "payer":
        return False
    boss = manager(members)
    return (boss is not None and boss.id == actor.id) or target.added_by_user_id == actor.user_id


def _users(db: Session, ids) -> dict[str, User]:
    ids = {i for i in ids if i}
    return {u.id: u for u in db.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or mask_phone(user.phone)


def state_of(inv: FamilyInvitation, now: dt.datetime) -> str:
    if inv.state == "pending" and now >= as_utc(inv.expires_at):
        return "expired"
    return inv.state


def _invitation_out(inv: FamilyInvitation, inviter: User | None, now: dt.datetime,
                    me: str | None = None) -> InvitationOut:
    p = inv.person
    return InvitationOut(
        id=inv.id, person_id=p.id, person_name=p.full_name, person_kind=p.kind, institution_name=p.institution.name,
        role=inv.role, relation=inv.relation, state=state_of(inv, now), phone_masked=mask_phone(inv.phone),
        inviter_name=_name(inviter), inviter_phone_masked=mask_phone(inviter.phone) if inviter else "",
        created_at=as_utc(inv.created_at), expires_at=as_utc(inv.expires_at),
        can_withdraw=me is not None and me == inv.inviter_user_id and state_of(inv, now) == "pending",
    )


def _pending_key(person_id: str, phone: str) -> str:
    return f"{person_id}:{phone}"


def _close(inv: FamilyInvitation, state: str, now: dt.datetime, by: str | None = None) -> None:
    inv.state, inv.pending_key, inv.answered_at, inv.answered_by_user_id = state, None, now, by


# --- members ---------------------------------------------------------------------------------------

def members(db: Session, user: User, person_id: str) -> list[MemberOut]:
    me = require_member(db, user.id, person_id)
    everyone = _members(db, person_id)
    users = _users(db, [m.user_id for m in everyone] + [m.added_by_user_id for m in everyone])
    return [MemberOut(
        id=m.id, name=_name(users.get(m.user_id)), phone_masked=mask_phone(users[m.user_id].phone),
        role=m.role, relation=m.relation, added_at=as_utc(m.added_at),
        added_by_name=_name(users.get(m.added_by_user_id)) if m.added_by_user_id else None,
        is_me=m.id == me.id, can_remove=may_remove(me, m, everyone),
    ) for m in everyone]


def remove_member(db: Session, user: User, person_id: str, member_id: str, now: dt.datetime) -> None:
    require_member(db, user.id, person_id)
    _lock_person(db, person_id)
    everyone = _members(db, person_id)  # read after the lock: a concurrent removal is seen
    actor = next((m for m in everyone if m.user_id == user.id), None)
    target = next((m for m in everyone if m.id == member_id), None)
    if actor is None:
        raise ApiError(404, "person_not_found", "no such person in your family")
    if target is None:
        raise ApiError(404, "member_not_found", "no such member in this family")
    if not may_remove(actor, target, everyone):
        raise ApiError(403, "family_cannot_remove",
                       "only the member who added this person, or who invited this member, can remove them")
    if target.role == "payer" and sum(1 for m in everyone if m.role == "payer") == 1:
        raise ApiError(409, "family_last_payer", "a person's last payer cannot be removed")
    # What the removed member had started for this person ends with their membership.
    for inv in db.scalars(select(FamilyInvitation).where(
            FamilyInvitation.person_id == person_id, FamilyInvitation.inviter_user_id == target.user_id,
            FamilyInvitation.state == "pending")):
        _close(inv, "withdrawn", now, user.id)
    db.delete(target)
    db.flush()


# --- invitations -----------------------------------------------------------------------------------

def invite(db: Session, user: User, body: Invite, now: dt.datetime, ttl_days: int = INVITATION_TTL_DAYS,
           ) -> InvitationOut:
    refuse_student(db, user)
    phone = parse_phone(body.phone)
    member = require_member(db, user.id, body.person_id)
    require_payer(member, "invite family members")
    _lock_person(db, body.person_id)
    invitee = db.scalars(select(User).where(User.phone == phone)).first()
    if phone == user.phone or (invitee is not None and member_of(db, invitee.id, body.person_id) is not None):
        raise ApiError(409, "already_family_member", "this number is already in this person's family")
    if student_account(db, phone) is not None:
        raise ApiError(409, "phone_is_student_account", "this number is a student's own login, not a family member")
    pending = list(db.scalars(select(FamilyInvitation).where(
        FamilyInvitation.person_id == body.person_id, FamilyInvitation.state == "pending")))
    for inv in pending:
        if state_of(inv, now) == "expired":
            _close(inv, "expired", now)  # frees the pending key for a new invitation
    live = [inv for inv in pending if inv.state == "pending"]
    if any(inv.phone == phone for inv in live):
        raise ApiError(409, "invitation_already_pending", "this number already has an open invitation")
    if len(live) >= MAX_PENDING_PER_PERSON:
        raise ApiError(409, "too_many_invitations",
                       f"at most {MAX_PENDING_PER_PERSON} open invitations per person: withdraw one first")
    inv = FamilyInvitation(person_id=body.person_id, inviter_user_id=user.id, phone=phone, role=body.role,
                           relation=body.relation, state="pending", pending_key=_pending_key(body.person_id, phone),
                           created_at=now, expires_at=now + dt.timedelta(days=ttl_days))
    try:
        with db.begin_nested():
            db.add(inv)
            db.flush()
    except IntegrityError:  # the same number invited by the other parent at this very moment
        raise ApiError(409, "invitation_already_pending", "this number already has an open invitation") from None
    db.refresh(inv)
    if invitee is not None:
        from server.notifications.triggers import family_invitation
        family_invitation(db, inv, invitee.id, user, now)
    return _invitation_out(inv, user, now, me=user.id)


def _with_person(query):
    return query.options(joinedload(FamilyInvitation.person).joinedload(Person.institution))


def received(db: Session, user: User, now: dt.datetime) -> list[InvitationOut]:
    """Open invitations to this user's number, newest first (also those sent before they signed up)."""
    rows = [inv for inv in db.scalars(_with_person(select(FamilyInvitation)).where(
        FamilyInvitation.phone == user.phone, FamilyInvitation.state == "pending")
        .order_by(FamilyInvitation.created_at.desc(), FamilyInvitation.id)) if state_of(inv, now) == "pending"]
    inviters = _users(db, [inv.inviter_user_id for inv in rows])
    return [_invitation_out(inv, inviters.get(inv.inviter_user_id), now) for inv in rows]


def for_person(db: Session, user: User, person_id: str, now: dt.datetime) -> list[InvitationOut]:
    """A person's open invitations, for its payers (both parents see who has been asked)."""
    require_payer(require_member(db, user.id, person_id), "see this family's invitations")
    rows = [inv for inv in db.scalars(_with_person(select(FamilyInvitation)).where(
        FamilyInvitation.person_id == person_id, FamilyInvitation.state == "pending")
        .order_by(FamilyInvitation.created_at, FamilyInvitation.id)) if state_of(inv, now) == "pending"]
    inviters = _users(db, [inv.inviter_user_id for inv in rows])
    return [_invitation_out(inv, inviters.get(inv.inviter_user_id), now, me=user.id) for inv in rows]


def _open_invitation(inv: FamilyInvitation | None, now: dt.datetime) -> FamilyInvitation:
    if inv is None:
        raise ApiError(404, "invitation_not_found", "no such invitation")
    state = state_of(inv, now)
    if state == "withdrawn":
        raise ApiError(409, "invitation_withdrawn", "the invitation was withdrawn")
    if state == "expired":
        raise ApiError(410, "invitation_expired", "the invitation has expired: ask for a new one")
    if state != "pending":
        raise ApiError(409, "invitation_already_answered", f"the invitation was already {state}", state=state)
    return inv


def _addressed_to(db: Session, user: User, invitation_id: str) -> FamilyInvitation | None:
    # Only the invited number sees an invitation: anyone else gets "not found", whatever the id.
    return db.scalars(_with_person(select(FamilyInvitation)).where(
        FamilyInvitation.id == invitation_id, FamilyInvitation.phone == user.phone)).first()


def accept(db: Session, user: User, invitation_id: str, now: dt.datetime) -> PersonOut:
    inv = _open_invitation(_addressed_to(db, user, invitation_id), now)
    refuse_student(db, user)
    _lock_person(db, inv.person_id)
    db.refresh(inv)  # withdrawn meanwhile? read again after the lock
    _open_invitation(inv, now)
    if member_of(db, user.id, inv.person_id) is not None:
        raise ApiError(409, "already_family_member", "you are already in this person's family")
    member = FamilyMember(user_id=user.id, person_id=inv.person_id, role=inv.role, relation=inv.relation,
                          added_at=now, added_by_user_id=inv.inviter_user_id)
    db.add(member)
    _close(inv, "accepted", now, user.id)
    db.flush()
    db.refresh(member)
    return person_out(member)


def decline(db: Session, user: User, invitation_id: str, now: dt.datetime) -> None:
    inv = _open_invitation(_addressed_to(db, user, invitation_id), now)
    _close(inv, "declined", now, user.id)
    db.flush()


def withdraw(db: Session, user: User, invitation_id: str, now: dt.datetime) -> None:
    inv = db.scalars(select(FamilyInvitation).where(FamilyInvitation.id == invitation_id,
                                                    FamilyInvitation.inviter_user_id == user.id)).first()
    _open_invitation(inv, now)
    _close(inv, "withdrawn", now, user.id)
    db.flush()
