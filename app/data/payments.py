"""Payments through the API: methods, create (once per Idempotency-Key), follow, cancel.

The server and the licensed providers move the money; this repository only asks and remembers:
the last good answers for poor networks, the method the payer used last (a preference on the
device), and which payments this app session created (their pay page opens by itself once).
"""

from __future__ import annotations

from app.data.api import ApiClient, NetworkFailure, ServerFailure, read_answer
from app.data.storage import SettingsStore
from app.models import Payment, PaymentMethod


LAST_METHOD_KEY = "dongphi.last_payment_method"


class PaymentsRepository:
    def __init__(self, api: ApiClient, settings: SettingsStore):
        self._api, self._settings = api, settings
        self._methods: list[PaymentMethod] | None = None
        self._payments: dict[str, Payment] = {}
        self._open_once: set[str] = set()

    async def methods(self) -> list[PaymentMethod]:
        """The methods and their fees; the last good list when the network fails."""
        try:
            body = await self._api.get("/payments/methods")
        except (NetworkFailure, ServerFailure):
            if self._methods is None:
                raise
            return list(self._methods)
        self._methods = read_answer(lambda b: [PaymentMethod.from_json(m) for m in b["methods"]], body)
        return list(self._methods)

    async def create(self, bill_id: str, method: str, idempotency_key: str) -> Payment:
        """Ask to pay a bill. The same key always means the same payment: a repeat cannot pay twice."""
        body = await self._api.post("/payments", {"bill_id": bill_id, "method": method},
                                    idempotency_key=idempotency_key)
        payment = self._keep(read_answer(Payment.from_json, body))
        self._open_once.add(payment.id)
        await self._settings.set(LAST_METHOD_KEY, method)
        return payment

    async def pay_with_source(self, bill_id: str, source_id: str, confirmation: str,
                              idempotency_key: str) -> Payment:
        """Charge a linked account; `confirmation` is the owner's PIN or biometric proof, good for one payment."""
        body = await self._api.post("/payments", {"bill_id": bill_id, "method": "linked", "source_id": source_id,
                                                  "confirmation": confirmation}, idempotency_key=idempotency_key)
        return self._keep(read_answer(Payment.from_json, body))

    async def get(self, payment_id: str) -> Payment:
        return self._keep(read_answer(Payment.from_json, await self._api.get(f"/payments/{payment_id}")))

    async def cancel(self, payment_id: str) -> Payment:
        body = await self._api.post(f"/payments/{payment_id}/cancel", {})
        return self._keep(read_answer(Payment.from_json, body))

    async def active(self) -> list[Payment]:
        """Payments still waiting (for the payer or for the bank), e.g. after the app was closed."""
        body = await self._api.get("/payments/active")
        return [self._keep(p) for p in read_answer(lambda b: [Payment.from_json(p) for p in b["payments"]], body)]

    def cached(self, payment_id: str) -> Payment | None:
        """The last state seen, to show at once while asking again."""
        return self._payments.get(payment_id)

    def take_auto_open(self, payment_id: str) -> bool:
        """True once for a payment created in this session: its pay page opens by itself only once."""
        if payment_id in self._open_once:
            self._open_once.discard(payment_id)
            return True
        return False

    async def last_method(self) -> str | None:
        return await self._settings.get(LAST_METHOD_KEY)

    def forget(self) -> None:
        """On sign-out nothing of the previous user may stay on the device."""
        self._methods = None
        self._payments.clear()
        self._open_once.clear()

    def _keep(self, payment: Payment) -> Payment:
        self._payments[payment.id] = payment
        return payment
