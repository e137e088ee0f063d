"""Single-case routes in micro-batches: the engine is vectorised, so many concurrent requests are
routed as one small population (a case in a batch gets exactly the route it gets alone: tested).

Requests wait in a queue; one worker task per process takes everything waiting (up to
``max_batch``, after at most ``window`` seconds), evaluates it as one population per set of
options, and hands each request its route as JSON. The batch runs on the event loop itself: the
engine holds the GIL on small populations, so a worker thread only made the loop and the batch
take turns (measured: higher latency at the same load, benchmarks/bench_api.py). While a batch
runs the next one fills, so the batch size follows the load. A batch that fails is retried case
by case, so one bad case cannot fail the others.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict

from asylumengine.routes import Case, Route, case_route, route
from asylumengine.routes.columns import population_from_cases
from asylumengine.routes.engine import evaluate

Options = tuple[dt.date | None, str, str, str]  # on, regime, return_regime, lang


def _json(r: Route) -> bytes:
    """``r.model_dump_json()`` as bytes, without the round trip through str."""
    return r.__pydantic_serializer__.to_json(r)


def route_batch(items: list[tuple[Case, Options]]) -> list[bytes | Exception]:
    """Route JSON (or the error) for each (case, options), evaluating one population per options."""
    out: list[bytes | Exception] = [b""] * len(items)
    groups: dict[Options, list[int]] = defaultdict(list)
    for i, (_, opts) in enumerate(items):
        groups[opts].append(i)
    for (on, regime, rr, lang), idx in groups.items():
        try:
            pop = population_from_cases([items[i][0] for i in idx])
            results = evaluate(pop, on=on, regime=regime, return_regime=rr)
            for k, i in enumerate(idx):
                out[i] = _json(case_route(items[i][0], pop, results, k, lang=lang))
        except Exception:  # noqa: BLE001 - retried one by one below, each keeping its own error
            for i in idx:
                try:
                    out[i] = _json(route(items[i][0], on=on, regime=regime, return_regime=rr, lang=lang))
                except Exception as exc:  # noqa: BLE001 - handed to that request's handler
                    out[i] = exc
    return out


class RouteBatcher:
    def __init__(self, max_batch: int = 128, window: float = 0.001):
        self.max_batch, self.window = max_batch, window
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: asyncio.Queue | None = None
        self.task: asyncio.Task | None = None

    async def route_json(self, case: Case, opts: Options) -> bytes:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # first use, or a new event loop (test clients): start the worker there
            self.loop, self.queue = loop, asyncio.Queue()
            self.task = loop.create_task(self._work())
        fut = loop.create_future()
        self.queue.put_nowait((case, opts, fut))
        result = await fut
        if isinstance(result, Exception):
            raise result
        return result

    async def _take(self) -> list:
        batch = [await self.queue.get()]
        end = self.loop.time() + self.window
        while len(batch) < self.max_batch:
            if not self.queue.empty():
                batch.append(self.queue.get_nowait())
                continue
            left = end - self.loop.time()
            if left <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(self.queue.get(), left))
            except TimeoutError:
                break
        return batch

    async def _work(self) -> None:
        while True:
            batch = await self._take()
            try:
                results = route_batch([(c, o) for c, o, _ in batch])
            except Exception as exc:  # noqa: BLE001 - every waiting request gets the error, the worker lives on
                results = [exc] * len(batch)
            for (_, _, fut), res in zip(batch, results, strict=True):
                if not fut.done():
                    fut.set_result(res)

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.cancel()
