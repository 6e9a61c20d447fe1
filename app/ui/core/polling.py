"""Ask again every few seconds while a screen is shown; stop when told, when done, or after a while."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("dongphi.polling")

TASK_PREFIX = "dongphi.poll"


class Poller:
    """Runs `tick` at once, then every `interval` seconds, in one task, until `tick` returns False,
    `stop()` is called, or `max_duration` seconds have passed (a phone left on a table must not poll
    for hours). `on_end` is called however it ends, except by `stop()`."""

    def __init__(self, tick: Callable[[], Awaitable[bool]], *, interval: float, max_duration: float,
                 name: str = TASK_PREFIX, on_end: Callable[[], None] | None = None):
        self._tick, self.interval, self.max_duration = tick, interval, max_duration
        self._name, self._on_end = name, on_end
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running:
            return
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self._name)

    def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.max_duration
        while True:
            try:
                again = await self._tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bug in one tick is logged; it must not end the follow-up
                log.exception("poll tick failed")
                again = True
            if not again or loop.time() + self.interval > deadline:
                break
            await asyncio.sleep(self.interval)
        if self._on_end is not None:
            self._on_end()
