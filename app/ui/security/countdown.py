"""A re-render every second while something counts down (a locked PIN, the inactivity warning)."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

import flet as ft

TICK_TASK = "dongphi.watch.tick"  # a waiting loop, not UI work (the test harness does not wait for it)


def seconds_until(deadline: float | None, clock: Callable[[], float] = time.monotonic) -> int:
    if deadline is None:
        return 0
    return max(int(math.ceil(deadline - clock())), 0)


def use_ticker(active: bool, interval: float = 1.0) -> None:
    """While `active`, the calling component renders again every `interval` seconds."""
    _, set_tick = ft.use_state(0)
    task = ft.use_ref(None)

    def stop():
        if task.current is not None:
            task.current.cancel()
            task.current = None

    def start():
        stop()
        if not active:
            return

        async def loop():
            n = 0
            while True:
                await asyncio.sleep(interval)
                n += 1
                set_tick(n)

        task.current = asyncio.get_running_loop().create_task(loop(), name=TICK_TASK)

    ft.use_effect(start, [active], cleanup=stop)
