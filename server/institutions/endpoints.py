from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from server.deps import DB, Principal, current_principal
from server.institutions import service
from server.institutions.schemas import InstitutionOut

router = APIRouter(prefix="/institutions", tags=["institutions"])


@router.get("", response_model=list[InstitutionOut])
def list_institutions(kind: Literal["school", "hospital"] | None = None, db: Session = DB,
                      _: Principal = Depends(current_principal)):
    return service.list_institutions(db, kind)
