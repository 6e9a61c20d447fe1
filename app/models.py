"""What the app shows, parsed from the API's JSON once, at the repository edge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.money import require_dong


@dataclass(frozen=True)
class User:
    id: str
    phone: str
    full_name: str
    has_pin: bool = True  # an answer without the field (older server) asks for no PIN setup
    role: str = "payer"  # payer | student (a student's own login sees only that student's fees)

    @classmethod
    def from_json(cls, d: dict) -> User:
        return cls(id=d["id"], phone=d["phone"], full_name=d.get("full_name", ""),
                   has_pin=bool(d.get("has_pin", True)), role=_role(d.get("role")))

    @property
    def is_student(self) -> bool:
        return self.role == "student"


def _role(value) -> str:
    """Only a server that says "student" makes one: anything else (older server, unknown) is a payer."""
    return "student" if value == "student" else "payer"


@dataclass(frozen=True)
class Confirmation:
    """Proof, given by PIN or biometrics moments ago, that the owner is present: good for one action."""

    token: str
    expires_at: dt.datetime | None

    @classmethod
    def from_json(cls, d: dict) -> Confirmation:
        return cls(token=d["confirmation"], expires_at=_when(d.get("expires_at")))


@dataclass(frozen=True)
class Device:
    """A signed-in session of this user, as the devices screen lists it."""

    id: str
    device_name: str
    created_at: dt.datetime | None
    last_used_at: dt.datetime | None
    current: bool

    @classmethod
    def from_json(cls, d: dict) -> Device:
        return cls(id=d["id"], device_name=d.get("device_name") or "", created_at=_when(d.get("created_at")),
                   last_used_at=_when(d.get("last_used_at")), current=bool(d.get("current")))


@dataclass(frozen=True)
class Person:
    id: str
    full_name: str
    kind: str  # student | patient
    group_label: str

    @classmethod
    def from_json(cls, d: dict) -> Person:
        return cls(id=d["id"], full_name=d["full_name"], kind=d["kind"], group_label=d.get("group_label", ""))


@dataclass(frozen=True)
class BillSummary:
    id: str
    invoice_code: str
    kind: str
    title: str
    period: str
    institution_name: str
    due_date: dt.date
    total: int
    amount_paid: int
    amount_due: int
    status: str
    overdue: bool

    @classmethod
    def from_json(cls, d: dict) -> BillSummary:
        return cls(
            id=d["id"], invoice_code=d["invoice_code"], kind=d["kind"], title=d["title"], period=d["period"],
            institution_name=d["institution_name"], due_date=dt.date.fromisoformat(d["due_date"]),
            total=require_dong(d["total"]), amount_paid=require_dong(d["amount_paid"]),
            amount_due=require_dong(d["amount_due"]), status=d["status"], overdue=bool(d["overdue"]),
        )

    @property
    def payable(self) -> bool:
        """Something is left to pay and the institution still asks for it."""
        return self.amount_due > 0 and self.status not in ("paid", "cancelled")


@dataclass(frozen=True)
class PersonBills:
    person: Person
    institution_name: str
    bills: tuple[BillSummary, ...]
    total_due: int

    @classmethod
    def from_json(cls, d: dict) -> PersonBills:
        return cls(person=Person.from_json(d["person"]), institution_name=d["institution_name"],
                   bills=tuple(BillSummary.from_json(b) for b in d["bills"]), total_due=require_dong(d["total_due"]))


@dataclass(frozen=True)
class Outstanding:
    as_of: dt.date
    groups: tuple[PersonBills, ...]
    total_due: int
    overdue_count: int

    @classmethod
    def from_json(cls, d: dict) -> Outstanding:
        return cls(as_of=dt.date.fromisoformat(d["as_of"]), groups=tuple(PersonBills.from_json(g) for g in d["groups"]),
                   total_due=require_dong(d["total_due"]), overdue_count=int(d["overdue_count"]))


@dataclass(frozen=True)
class SupportContact:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class Institution:
    id: str
    name: str
    short_name: str
    kind: str
    province: str
    hotline: str
    support: SupportContact

    @classmethod
    def from_json(cls, d: dict) -> Institution:
        s = d["support"]
        return cls(id=d["id"], name=d["name"], short_name=d["short_name"], kind=d["kind"], province=d["province"],
                   hotline=d["hotline"], support=SupportContact(s["name"], s["phone"], s.get("email", "")))


@dataclass(frozen=True)
class BillItem:
    label: str
    amount: int


@dataclass(frozen=True)
class BillDetail:
    summary: BillSummary
    person: Person
    institution: Institution
    items: tuple[BillItem, ...]

    @classmethod
    def from_json(cls, d: dict) -> BillDetail:
        return cls(summary=BillSummary.from_json(d), person=Person.from_json(d["person"]),
                   institution=Institution.from_json(d["institution"]),
                   items=tuple(BillItem(i["label"], require_dong(i["amount"])) for i in d["items"]))


def _when(value: str | None) -> dt.datetime | None:
    """An ISO time from the API; a time without an offset is taken as UTC (the server's clock)."""
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


PAYMENT_LIVE_STATES = ("created", "awaiting_payer", "unknown")
PAYMENT_PAID_STATES = ("succeeded", "refund_pending")
PAYMENT_FAILED_STATES = ("failed", "expired", "cancelled")


@dataclass(frozen=True)
class PaymentMethod:
    id: str  # vietqr | atm_card | intl_card | momo
    fee: int

    @classmethod
    def from_json(cls, d: dict) -> PaymentMethod:
        return cls(id=d["id"], fee=require_dong(d.get("fee", 0)))


@dataclass(frozen=True)
class CollectionAccount:
    """Where a VietQR transfer goes: the institution's own account, never ours."""

    bank_bin: str
    bank_name: str
    account_number: str
    holder_name: str

    @classmethod
    def from_json(cls, d: dict) -> CollectionAccount:
        return cls(bank_bin=d.get("bank_bin") or "", bank_name=d.get("bank_name") or "",
                   account_number=d["account_number"], holder_name=d["holder_name"])


@dataclass(frozen=True)
class PaymentEvent:
    at: dt.datetime
    state: str
    cause: str

    @classmethod
    def from_json(cls, d: dict) -> PaymentEvent:
        return cls(at=_when(d["at"]), state=d["state"], cause=d.get("cause") or "")


@dataclass(frozen=True)
class Payment:
    id: str
    bill_id: str
    method: str
    provider: str
    state: str
    amount: int
    fee: int
    payer_name: str
    beneficiary_name: str
    reason: str
    invoice_code: str
    institution_name: str
    reference: str
    provider_txn: str | None
    pay_url: str | None
    deeplink: str | None
    qr_payload: str | None
    transfer_content: str | None
    account: CollectionAccount | None
    bank_app_url: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    settled_at: dt.datetime | None
    received_amount: int | None
    refund_amount: int
    failure_code: str | None
    nothing_debited: bool
    live: bool
    history: tuple[PaymentEvent, ...] = ()

    @classmethod
    def from_json(cls, d: dict) -> Payment:
        received = d.get("received_amount")
        account = d.get("account")
        return cls(
            id=d["id"], bill_id=d["bill_id"], method=d["method"], provider=d.get("provider", ""),
            state=d["state"], amount=require_dong(d["amount"]), fee=require_dong(d.get("fee", 0)),
            payer_name=d.get("payer_name", ""), beneficiary_name=d.get("beneficiary_name", ""),
            reason=d.get("reason", ""), invoice_code=d.get("invoice_code", ""),
            institution_name=d.get("institution_name", ""), reference=d.get("reference", ""),
            provider_txn=d.get("provider_txn"), pay_url=d.get("pay_url"), deeplink=d.get("deeplink"),
            qr_payload=d.get("qr_payload"), transfer_content=d.get("transfer_content"),
            account=CollectionAccount.from_json(account) if account else None,
            bank_app_url=d.get("bank_app_url"), created_at=_when(d["created_at"]),
            expires_at=_when(d.get("expires_at")), settled_at=_when(d.get("settled_at")),
            received_amount=None if received is None else require_dong(received),
            refund_amount=require_dong(d.get("refund_amount") or 0), failure_code=d.get("failure_code"),
            nothing_debited=bool(d.get("nothing_debited", False)),
            live=bool(d.get("live", d["state"] in PAYMENT_LIVE_STATES)),
            history=tuple(PaymentEvent.from_json(e) for e in d.get("history") or ()),
        )

    @property
    def pending(self) -> bool:
        """Still waiting for the payer or for the provider's answer: worth asking again."""
        return self.state in PAYMENT_LIVE_STATES

    @property
    def paid(self) -> bool:
        return self.state in PAYMENT_PAID_STATES

    @property
    def failed(self) -> bool:
        return self.state in PAYMENT_FAILED_STATES

    @property
    def total(self) -> int:
        return self.amount + self.fee

    @property
    def shortfall(self) -> int:
        """What is still owed when less than the amount arrived (a bank transfer can carry any amount)."""
        if self.received_amount is None:
            return 0
        return max(self.amount - self.received_amount, 0)


@dataclass(frozen=True)
class PaymentSource:
    """A linked bank account or wallet: the app sees only a masked number, never the provider's token."""

    id: str
    kind: str  # bank | wallet
    provider: str  # BIN or wallet id
    provider_name: str
    account_masked: str
    holder_name: str
    linked_at: dt.datetime | None
    status: str  # active | needs_name_confirmation | expired | revoked
    is_default: bool
    name_matches: bool

    @classmethod
    def from_json(cls, d: dict) -> PaymentSource:
        return cls(id=d["id"], kind=d["kind"], provider=d["provider"], provider_name=d.get("provider_name") or "",
                   account_masked=d.get("account_masked") or "", holder_name=d.get("holder_name") or "",
                   linked_at=_when(d.get("linked_at")), status=d["status"], is_default=bool(d.get("is_default")),
                   name_matches=bool(d.get("name_matches", True)))

    @property
    def usable(self) -> bool:
        return self.status == "active"

    @property
    def needs_relink(self) -> bool:
        return self.status in ("expired", "revoked")


@dataclass(frozen=True)
class LinkRequest:
    id: str
    kind: str
    provider: str
    provider_name: str
    account_masked: str
    state: str  # pending | approved | declined | expired
    approve_url: str | None
    expires_at: dt.datetime | None
    failure_code: str | None
    source: PaymentSource | None

    @classmethod
    def from_json(cls, d: dict) -> LinkRequest:
        source = d.get("source")
        return cls(id=d["id"], kind=d["kind"], provider=d["provider"], provider_name=d.get("provider_name") or "",
                   account_masked=d.get("account_masked") or "", state=d["state"], approve_url=d.get("approve_url"),
                   expires_at=_when(d.get("expires_at")), failure_code=d.get("failure_code"),
                   source=PaymentSource.from_json(source) if source else None)

    @property
    def pending(self) -> bool:
        return self.state == "pending"


@dataclass(frozen=True)
class FaceCheck:
    """Whether the payer's bank will demand a face scan (SBV Decision 2345) for this amount today."""

    reason: str | None  # single_over_limit | daily_over_limit | None
    paid_today: int
    single_limit: int
    daily_limit: int

    @classmethod
    def from_json(cls, d: dict) -> FaceCheck:
        return cls(reason=d.get("reason"), paid_today=require_dong(d.get("paid_today") or 0),
                   single_limit=require_dong(d.get("single_limit") or 0),
                   daily_limit=require_dong(d.get("daily_limit") or 0))


# -- notifications ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Notification:
    """One message in the inbox. Title and body come in the user's language from the server."""

    id: str
    kind: str
    title: str
    body: str
    created_at: dt.datetime
    read: bool
    bill_id: str | None = None
    payment_id: str | None = None
    person_id: str | None = None
    institution_id: str | None = None
    institution_name: str | None = None
    verified: bool = False

    @classmethod
    def from_json(cls, d: dict) -> Notification:
        return cls(id=str(d["id"]), kind=d["kind"], title=d.get("title") or "", body=d.get("body") or "",
                   created_at=_when(d["created_at"]), read=bool(d.get("read", False)),
                   bill_id=d.get("bill_id"), payment_id=d.get("payment_id"), person_id=d.get("person_id"),
                   institution_id=d.get("institution_id"), institution_name=d.get("institution_name"),
                   verified=bool(d.get("verified", False)))


@dataclass(frozen=True)
class NotificationPage:
    """Newest first; `next_before` pages to older ones (None: there are no older ones)."""

    items: tuple[Notification, ...]
    next_before: str | None
    unread: int

    @classmethod
    def from_json(cls, d: dict) -> NotificationPage:
        return cls(items=tuple(Notification.from_json(n) for n in d["items"]), next_before=d.get("next_before"),
                   unread=int(d.get("unread") or 0))


@dataclass(frozen=True)
class KindChannels:
    kind: str
    push: bool
    sms: bool

    @classmethod
    def from_json(cls, d: dict) -> KindChannels:
        return cls(kind=d["kind"], push=bool(d["push"]), sms=bool(d["sms"]))


@dataclass(frozen=True)
class MutablePerson:
    """A child or patient of the family, whose notifications the user may mute."""

    id: str
    full_name: str
    muted: bool

    @classmethod
    def from_json(cls, d: dict) -> MutablePerson:
        return cls(id=d["id"], full_name=d.get("full_name") or "", muted=bool(d.get("muted", False)))


@dataclass(frozen=True)
class NotificationPreferences:
    """In-app notifications are always on; push and SMS are chosen per kind; quiet hours hold pushes back."""

    kinds: tuple[KindChannels, ...]
    quiet_start: str
    quiet_end: str
    people: tuple[MutablePerson, ...]

    @classmethod
    def from_json(cls, d: dict) -> NotificationPreferences:
        return cls(kinds=tuple(KindChannels.from_json(k) for k in d["kinds"]), quiet_start=d["quiet_start"],
                   quiet_end=d["quiet_end"], people=tuple(MutablePerson.from_json(p) for p in d.get("people") or ()))

    def to_json(self) -> dict:
        return {"kinds": [{"kind": k.kind, "push": k.push, "sms": k.sms} for k in self.kinds],
                "quiet_start": self.quiet_start, "quiet_end": self.quiet_end,
                "muted_people": [p.id for p in self.people if p.muted]}


@dataclass(frozen=True)
class FiledReport:
    """A scam report this user filed, as "Báo cáo của tôi" lists it (the account only masked)."""

    id: str
    status: str  # received | confirmed | rejected
    created_at: dt.datetime | None
    phone: str | None
    bank_bin: str | None
    account: str | None  # masked by the server
    institution_id: str | None

    @classmethod
    def from_json(cls, d: dict) -> FiledReport:
        return cls(id=str(d["id"]), status=str(d.get("status") or "received"), created_at=_when(d.get("created_at")),
                   phone=d.get("phone") or None, bank_bin=d.get("bank_bin") or None,
                   account=d.get("account") or d.get("account_masked") or None,
                   institution_id=d.get("institution_id") or None)


@dataclass(frozen=True)
class BrakeContext:
    """What the brakes need to know of this family's history with a payee (GET /brakes/context)."""

    paid_before: bool = False
    usual_amounts: tuple[int, ...] = ()

    @classmethod
    def from_json(cls, d: dict) -> BrakeContext:
        return cls(paid_before=bool(d.get("paid_before")),
                   usual_amounts=tuple(int(a) for a in d.get("usual_amounts") or [] if int(a) > 0))


# --- issue 8: families and "Nhờ người thân trả" ---------------------------------------------------

@dataclass(frozen=True)
class FamilyPerson:
    """A student or patient in the user's family, as POST /family/students|patients answers."""

    id: str
    kind: str  # student | patient
    full_name: str
    code: str
    group_label: str
    institution_id: str
    institution_name: str
    relation: str

    @classmethod
    def from_json(cls, d: dict) -> FamilyPerson:
        return cls(id=d["id"], kind=d["kind"], full_name=d["full_name"], code=d.get("code") or "",
                   group_label=d.get("group_label") or "", institution_id=d["institution_id"],
                   institution_name=d.get("institution_name") or "", relation=d.get("relation") or "")


@dataclass(frozen=True)
class FamilyMemberInfo:
    """One member of a person's family (GET /family/people/{id}/members): the phone only masked."""

    id: str
    name: str
    phone_masked: str
    role: str  # payer | viewer
    relation: str
    added_at: dt.datetime | None
    added_by_name: str | None
    is_me: bool
    can_remove: bool

    @classmethod
    def from_json(cls, d: dict) -> FamilyMemberInfo:
        return cls(id=d["id"], name=d.get("name") or "", phone_masked=d.get("phone_masked") or "",
                   role=d["role"], relation=d.get("relation") or "", added_at=_when(d.get("added_at")),
                   added_by_name=d.get("added_by_name"), is_me=bool(d.get("is_me")),
                   can_remove=bool(d.get("can_remove")))


@dataclass(frozen=True)
class FamilyInvitation:
    """An invitation to join a person's family, as the inviter's family or the invitee sees it."""

    id: str
    person_id: str
    person_name: str
    person_kind: str
    institution_name: str
    role: str
    relation: str
    state: str  # pending | accepted | declined | withdrawn | expired
    phone_masked: str
    inviter_name: str
    inviter_phone_masked: str
    created_at: dt.datetime | None
    expires_at: dt.datetime | None
    can_withdraw: bool

    @classmethod
    def from_json(cls, d: dict) -> FamilyInvitation:
        return cls(id=d["id"], person_id=d["person_id"], person_name=d.get("person_name") or "",
                   person_kind=d.get("person_kind") or "", institution_name=d.get("institution_name") or "",
                   role=d["role"], relation=d.get("relation") or "", state=d.get("state") or "pending",
                   phone_masked=d.get("phone_masked") or "", inviter_name=d.get("inviter_name") or "",
                   inviter_phone_masked=d.get("inviter_phone_masked") or "",
                   created_at=_when(d.get("created_at")), expires_at=_when(d.get("expires_at")),
                   can_withdraw=bool(d.get("can_withdraw")))


@dataclass(frozen=True)
class PayRequestLink:
    """A pay request just made: the token and link are shown this once (the server keeps only a hash)."""

    id: str
    bill_id: str
    token: str
    url: str
    status: str
    expires_at: dt.datetime | None

    @classmethod
    def from_json(cls, d: dict) -> PayRequestLink:
        return cls(id=d["id"], bill_id=d["bill_id"], token=d["token"], url=d["url"], status=d["status"],
                   expires_at=_when(d.get("expires_at")))


@dataclass(frozen=True)
class PayRequestInfo:
    """A bill's pay request as its family sees it: state, and who paid through it."""

    id: str
    bill_id: str
    status: str  # open | paid | expired | withdrawn | cancelled
    created_at: dt.datetime | None
    expires_at: dt.datetime | None
    created_by_name: str
    payment_id: str | None
    payment_state: str | None
    paid_by_name: str | None

    @classmethod
    def from_json(cls, d: dict) -> PayRequestInfo:
        return cls(id=d["id"], bill_id=d["bill_id"], status=d["status"], created_at=_when(d.get("created_at")),
                   expires_at=_when(d.get("expires_at")), created_by_name=d.get("created_by_name") or "",
                   payment_id=d.get("payment_id"), payment_state=d.get("payment_state"),
                   paid_by_name=d.get("paid_by_name"))


@dataclass(frozen=True)
class PayRequestView:
    """What a pay request's token shows to anyone holding it: nothing more of the bill or the family."""

    status: str
    institution_name: str
    institution_kind: str
    first_name: str
    amount_due: int
    due_date: dt.date
    invoice_code: str
    expires_at: dt.datetime | None

    @classmethod
    def from_json(cls, d: dict) -> PayRequestView:
        return cls(status=d["status"], institution_name=d["institution_name"],
                   institution_kind=d.get("institution_kind") or "", first_name=d.get("first_name") or "",
                   amount_due=require_dong(d["amount_due"]), due_date=dt.date.fromisoformat(d["due_date"]),
                   invoice_code=d["invoice_code"], expires_at=_when(d.get("expires_at")))
