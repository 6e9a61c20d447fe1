"""The one way a screen loads data: guard double runs, keep the last good value when offline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.data.api import ApiFailure
from app.data.bills import Fetched


async def load_into(vm, fetch: Callable[[], Awaitable[Fetched]], store: Callable[[object], None]) -> None:
    """`vm` has loading/error/fetched_at/stale fields; `store` puts the fetched value in place."""
    if vm.loading:
        return
    vm.loading, vm.error = True, None
    try:
        fetched = await fetch()
    except ApiFailure as failure:
        vm.error = failure
    else:
        store(fetched.value)
        vm.fetched_at, vm.stale = fetched.fetched_at, fetched.stale
        vm.error = fetched.failure if fetched.stale else None
    finally:
        vm.loading = False


async def load_fresh(vm, fetch: Callable[[], Awaitable[object]], store: Callable[[object], None]) -> None:
    """The same for answers nobody keeps a copy of (`vm` has loading/error fields only)."""
    if vm.loading:
        return
    vm.loading, vm.error = True, None
    try:
        store(await fetch())
    except ApiFailure as failure:
        vm.error = failure
    finally:
        vm.loading = False
