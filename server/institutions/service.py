from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from domain.banks import bank_by_bin
from server.institutions.models import Institution
from server.institutions.schemas import AccountOut, InstitutionOut, SupportContact


def institution_out(inst: Institution) -> InstitutionOut:
    return InstitutionOut(
        id=inst.id, name=inst.name, short_name=inst.short_name, kind=inst.kind, province=inst.province,
        hotline=inst.hotline,
        support=SupportContact(name=inst.support_name, phone=inst.support_phone, email=inst.support_email),
        accounts=[
            AccountOut(bank_bin=a.bank_bin, bank_name=(b.short_name if (b := bank_by_bin(a.bank_bin)) else a.bank_bin),
                       account_number=a.account_number, holder_name=a.holder_name)
            for a in inst.accounts
        ],
    )


def list_institutions(db: Session, kind: str | None = None) -> list[InstitutionOut]:
    query = select(Institution).options(selectinload(Institution.accounts)).order_by(Institution.name)
    if kind:
        query = query.where(Institution.kind == kind)
    return [institution_out(i) for i in db.scalars(query)]
