"""Several server processes behind one port, each new connection handed to the next process in turn.

With uvicorn's own ``--workers`` every process accepts from the shared socket, and a burst of
keep-alive connections goes to whichever process wakes first: 50 clients connecting at once were
split 40 to 10 over two processes (measured with ``ss``), so one process did four fifths of the
work and the other idled. As Node's cluster module does on Linux, the parent here accepts every
connection itself and passes it (SCM_RIGHTS) to the workers round-robin; each worker serves it
with uvicorn's own HTTP protocol. A worker that dies is started again.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import signal
import socket
import time
from dataclasses import dataclass

import uvicorn

APP = "asylumengine.api:create_app"
BACKLOG = 2048
POLL = 1.0  # seconds between checks that the workers are alive


class HandedServer(uvicorn.Server):
    """uvicorn serving connections received on ``channel`` instead of accepting its own."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket):
        super().__init__(config)
        self.channel = channel

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # no listening socket of its own
        protocol = functools.partial(self.config.http_protocol_class, config=self.config,
                                     server_state=self.server_state, app_state=self.lifespan.state)  # fmt: skip
        loop = asyncio.get_running_loop()
        self.channel.setblocking(False)
        loop.add_reader(self.channel.fileno(), self._receive, loop, protocol)

    def _receive(self, loop: asyncio.AbstractEventLoop, protocol) -> None:
        try:
            _, fds, _, _ = socket.recv_fds(self.channel, 1, 64)
        except BlockingIOError:
            return
        except OSError:
            fds = None
        if not fds:  # the parent is gone: finish what is open, then stop
            loop.remove_reader(self.channel.fileno())
            self.should_exit = True
            return
        for fd in fds:
            loop.create_task(loop.connect_accepted_socket(protocol, socket.socket(fileno=fd)))


def _worker(channel: socket.socket, options: dict) -> None:
    HandedServer(uvicorn.Config(APP, factory=True, **options), channel).run()


@dataclass
class Worker:
    process: multiprocessing.Process
    channel: socket.socket


def _start(ctx, options: dict) -> Worker:
    parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)  # one message per connection
    process = ctx.Process(target=_worker, args=(child_end, options), daemon=True)
    process.start()
    child_end.close()
    return Worker(process, parent_end)


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=BACKLOG)


def serve(listener: socket.socket, workers: int, **options) -> None:
    """Hand the connections ``listener`` accepts to ``workers`` uvicorn processes, round-robin."""
    listener.settimeout(POLL)
    ctx = multiprocessing.get_context("spawn")
    pool = [_start(ctx, options) for _ in range(workers)]
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    turn = 0
    try:
        while not stopping:
            conn = _accept(listener)
            pool = [w if w.process.is_alive() else _restart(ctx, options, w) for w in pool]
            if conn is not None:
                with conn:
                    turn = _hand(conn, pool, turn)
    finally:
        listener.close()
        for w in pool:
            w.channel.close()  # each worker sees its channel close, finishes open requests and stops
        for w in pool:
            w.process.join(timeout=10)
            if w.process.is_alive():
                w.process.terminate()


def _accept(listener: socket.socket) -> socket.socket | None:
    try:
        return listener.accept()[0]
    except TimeoutError:
        return None
    except OSError:  # out of file descriptors, a connection reset before it was accepted: the server goes on
        time.sleep(POLL / 10)
        return None


def _hand(conn: socket.socket, pool: list[Worker], turn: int) -> int:
    """Pass ``conn`` to the worker whose turn it is (or the next live one); returns the next turn."""
    for _ in range(len(pool)):
        worker, turn = pool[turn], (turn + 1) % len(pool)
        try:
            socket.send_fds(worker.channel, [b"c"], [conn.fileno()])
            break
        except OSError:  # that worker has just died: the next one takes it
            continue
    return turn


def _restart(ctx, options: dict, dead: Worker) -> Worker:
    dead.channel.close()
    return _start(ctx, options)
