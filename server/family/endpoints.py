"""family area: invitations and members. Mounted by server/people/endpoints.py (the /family routes)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy.orm import Session

from server.config import Settings
from server.deps import DB, Principal, current_principal, get_now, get_settings
from server.family import service
from server.family.schemas import InvitationOut, Invite, MemberOut
from server.people.schemas import PersonOut

router = APIRouter(prefix="/family", tags=["family"])
Id = Annotated[str, Path(min_length=1, max_length=36)]


@router.post("/invitations", response_model=InvitationOut, status_code=201)
def invite(body: Invite, db: Session = DB, now: dt.datetime = Depends(get_now),
           settings: Settings = Depends(get_settings), principal: Principal = Depends(current_principal)):
    ttl = getattr(settings, "family_invitation_ttl_days", service.INVITATION_TTL_DAYS)
    return service.invite(db, principal.user, body, now, ttl)


@router.get("/invitations/received", response_model=list[InvitationOut])
def received(db: Session = DB, now: dt.datetime = Depends(get_now),
             principal: Principal = Depends(current_principal)):
    return service.received(db, principal.user, now)


@router.post("/invitations/{invitation_id}/accept", response_model=PersonOut)
def accept(invitation_id: Id, db: Session = DB, now: dt.datetime = Depends(get_now),
           principal: Principal = Depends(current_principal)):
    return service.accept(db, principal.user, invitation_id, now)


@router.post("/invitations/{invitation_id}/decline", status_code=204)
def decline(invitation_id: Id, db: Session = DB, now: dt.datetime = Depends(get_now),
            principal: Principal = Depends(current_principal)):
    service.decline(db, principal.user, invitation_id, now)
    return Response(status_code=204)


@router.delete("/invitations/{invitation_id}", status_code=204)
def withdraw(invitation_id: Id, db: Session = DB, now: dt.datetime = Depends(get_now),
             principal: Principal = Depends(current_principal)):
    service.withdraw(db, principal.user, invitation_id, now)
    return Response(status_code=204)


@router.get("/people/{person_id}/members", response_model=list[MemberOut])
def members(person_id: Id, db: Session = DB, principal: Principal = Depends(current_principal)):
    return service.members(db, principal.user, person_id)


@router.get("/people/{person_id}/invitations", response_model=list[InvitationOut])
def person_invitations(person_id: Id, db: Session = DB, now: dt.datetime = Depends(get_now),
                       principal: Principal = Depends(current_principal)):
    return service.for_person(db, principal.user, person_id, now)


@router.delete("/people/{person_id}/members/{member_id}", status_code=204)
def remove_member(person_id: Id, member_id: Id, db: Session = DB, now: dt.datetime = Depends(get_now),
                  principal: Principal = Depends(current_principal)):
    service.remove_member(db, principal.user, person_id, member_id, now)
    return Response(status_code=204)
