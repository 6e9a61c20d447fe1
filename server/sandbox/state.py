"""The simulator's memory (orders it has seen) and its switches for misbehaving callbacks."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Behaviour:
    mode: str = "normal"  # normal | delay | repeat | drop
    delay_seconds: float = 3.0
    repeat: int = 3


@dataclass
class Order:
    provider: str
    order_id: str
    amount: int
    request: dict
    decision: str | None = None  # approved | declined
    transaction_no: str | None = None
    result: dict = field(default_factory=dict)


@dataclass
class SandboxState:
    behaviour: Behaviour = field(default_factory=Behaviour)
    orders: dict[tuple[str, str], Order] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, order: Order) -> None:
        with self.lock:
            self.orders[(order.provider, order.order_id)] = order

    def get(self, provider: str, order_id: str) -> Order | None:
        with self.lock:
            return self.orders.get((provider, order_id))
