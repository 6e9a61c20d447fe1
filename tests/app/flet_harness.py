"""A headless Flet session for view tests: a recording Connection plays the Flutter client.

It answers method calls (route pushes, SharedPreferences, UrlLauncher) the way the client would,
so views run unchanged. Relies on Flet internals: pinned to flet==1.0.5.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import msgpack
from flet.components.public_utils import unwrap_component
from flet.controls.base_control import BaseControl
from flet.controls.context import _context_page
from flet.messaging.connection import Connection
from flet.messaging.protocol import (Message, MessageAction, RegisterClientResponseBody,
                                     configure_encode_object_for_msgpack)
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

_encode = configure_encode_object_for_msgpack(BaseControl)


class FakeClient(Connection):
    def __init__(self):
        super().__init__()
        self.pubsubhub = PubSubHub()
        self.page_url = "http://localhost"
        self.session: Session | None = None
        self.messages: list[Message] = []
        self.prefs: dict[str, Any] = {}
        self.launched: list[str] = []
        self.method_handlers: dict[str, Callable[[dict], Any]] = {
            "set": self._pref_set, "get": lambda a: self.prefs.get(a["key"]),
            "contains_key": lambda a: a["key"] in self.prefs, "remove": lambda a: self.prefs.pop(a["key"], None),
            "launch_url": lambda a: self.launched.append(a["url"]) or True,
            "can_launch_url": lambda a: True,
        }
        self._crashes_seen = 0

    def _pref_set(self, args):
        self.prefs[args["key"]] = args["value"]
        return True

    def send_message(self, message: Message):
        msgpack.packb([message.action, message.body], default=_encode)  # primes patch snapshots
        self.messages.append(message)
        if message.action == MessageAction.INVOKE_METHOD:
            self._on_invoke(message.body)

    def _on_invoke(self, body):
        result, error = None, None
        if body.name == "push_route":
            route = body.args["route"]
            page = self.session.page
            self.session.apply_patch(page._i, {"route": route})
            asyncio.get_running_loop().create_task(
                self.session.dispatch_event(page._i, "route_change", {"route": route}))
        elif body.name in self.method_handlers:
            try:
                result = self.method_handlers[body.name](body.args)
            except Exception as exc:  # noqa: BLE001 - reported to the caller like the client does
                error = str(exc)
        self.session.handle_invoke_method_results(body.control_id, body.call_id, result, error)

    def crashes(self) -> list[str]:
        return [m.body.message for m in self.messages if m.action == MessageAction.SESSION_CRASHED]

    def raise_new_crashes(self):
        new = self.crashes()[self._crashes_seen:]
        self._crashes_seen += len(new)
        if new:
            raise AssertionError("Flet session error:\n" + new[0])


class Harness:
    def __init__(self, route: str = "/", width: int = 400, height: int = 800):
        self.conn = FakeClient()
        self.conn.loop = asyncio.get_running_loop()
        self.session = Session(self.conn)
        self.conn.session = self.session
        self.page = self.session.page
        self._token = _context_page.set(self.page)
        self.session.apply_page_patch({"route": route, "width": width, "height": height, "web": True,
                                       "platform": "linux"})
        self.conn.send_message(Message(MessageAction.REGISTER_CLIENT, RegisterClientResponseBody(
            session_id=self.session.id, page_patch=self.session.get_page_patch(), error="")))

    def close(self):
        self.session.close()
        _context_page.reset(self._token)

    async def settle(self, max_turns: int = 400):
        """Run until no task, pending update or effect is left (the client's frame loop, in short)."""
        session, me, quiet = self.session, asyncio.current_task(), 0
        for turn in range(max_turns):
            await asyncio.sleep(0)
            sched = session._Session__updates_task
            busy = [t for t in asyncio.all_tasks() if t is not me and t is not sched and not t.done()
                    and not _is_idle_server_task(t)] \
                or session._Session__pending_updates or session._Session__pending_effects
            quiet = 0 if busy else quiet + 1
            if quiet >= 3:
                break
            if busy and turn > 20:
                await asyncio.sleep(0.005)
        self.conn.raise_new_crashes()

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0):
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            await self.settle()
            if predicate():
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("condition not reached; keys on screen: " + ", ".join(self.keys()))
            await asyncio.sleep(0.02)

    # -- finding -------------------------------------------------------------------------------
    def controls(self):
        yield from _walk([self.page.views, self.page.overlay, self.page._dialogs], set())

    def keys(self) -> list[str]:
        return [str(c.key) for c in self.controls() if c.key is not None]

    def find(self, key) -> Any:
        found = [c for c in self.controls() if c.key == key]
        assert len(found) == 1, f"expected one control with key={key!r}, found {len(found)}; keys: {self.keys()}"
        return found[0]

    def has(self, key) -> bool:
        return any(c.key == key for c in self.controls())

    def views(self) -> list:
        return [unwrap_component(v) for v in unwrap_component(self.page.views)]

    def texts(self) -> list[str]:
        out = []
        for c in self.controls():
            value = getattr(c, "value", None)
            if type(c).__name__ == "Text" and isinstance(value, str):
                out.append(value)
        return out

    def text_of(self, key) -> str:
        return self.find(key).value

    # -- acting --------------------------------------------------------------------------------
    async def fire(self, target, event: str, data: Any = None):
        control = target if isinstance(target, BaseControl) else self.find(target)
        await self.session.dispatch_event(control._i, event, data)
        await self.settle()

    async def click(self, key):
        await self.fire(key, "click")

    async def type(self, key, text: str):
        self.session.apply_patch(self.find(key)._i, {"value": text})
        await self.fire(key, "change", text)

    async def submit(self, key):
        await self.fire(key, "submit", self.find(key).value)

    async def back(self):
        await self.session.dispatch_event(self.page._i, "view_pop", {"route": self.views()[-1].route})
        await self.settle()


def _is_idle_server_task(task: asyncio.Task) -> bool:
    """Tasks of an in-process uvicorn/anyio server are not UI work, nor is a screen's polling loop
    (it sleeps between questions until its screen goes away; `wait_for` waits for what it changes), nor
    are the security watchers (inactivity, countdown ticks: "dongphi.watch…")."""
    return "serve" in repr(task.get_coro()) or task.get_name().startswith(("dongphi.poll", "dongphi.watch"))


def _walk(node, seen):
    node = unwrap_component(node)
    if isinstance(node, (list, tuple)):
        for n in node:
            yield from _walk(n, seen)
    elif isinstance(node, dict):
        for n in node.values():
            yield from _walk(n, seen)
    elif isinstance(node, BaseControl) and id(node) not in seen:
        seen.add(id(node))
        yield node
        for name in node.__dataclass_fields__:
            if not name.startswith("_"):
                v = getattr(node, name, None)
                if isinstance(v, (BaseControl, list, tuple, dict)):
                    yield from _walk(v, seen)
