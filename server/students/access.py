"""Whether a signed-in user is a student account: other areas ask this to refuse what students may not do."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.errors import ApiError
from server.students.models import StudentAccount


def student_account(db: Session, phone: str) -> StudentAccount | None:
    return db.scalars(select(StudentAccount).where(StudentAccount.phone == phone)).first()


def is_student(db: Session, user) -> bool:
    return student_account(db, user.phone) is not None


def refuse_student(db: Session, user, code: str = "student_not_allowed",
                   message: str = "a student account can only see its own fees") -> None:
    """A student's login sees; it never pays, joins families or acts for anyone."""
    if is_student(db, user):
        raise ApiError(403, code, message)
