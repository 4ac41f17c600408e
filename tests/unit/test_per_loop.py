"""PerLoop: one object per running event loop."""

from __future__ import annotations

import asyncio

from arandu.application.per_loop import PerLoop


def test_the_same_loop_reuses_its_object_and_a_new_loop_gets_a_new_one() -> None:
    made: list[object] = []
    held = PerLoop(lambda: made.append(object()) or made[-1])

    async def twice() -> tuple[object, object]:
        return held.get(), held.get()

    first, again = asyncio.run(twice())
    other, _ = asyncio.run(twice())
    assert first is again
    assert other is not first
    assert len(made) == 2
