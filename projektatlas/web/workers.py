"""`serve --workers N`: N server processes on one port, each with a listening socket of its own.

uvicorn's multi-process mode binds one socket in the parent and hands it to every worker.
All workers then wait on one accept queue and the kernel wakes the most recent waiter, so a
few kept-alive connections often all land in one process: with 2 workers and 8 wrk
connections, four of six `bench/load_bench.py` scenarios ran no faster than with one worker.
A socket created that way also loses TCP_NODELAY on the accepted connections (its ``proto``
is 0; uvicorn issue #3149). Here each worker binds its own ``SO_REUSEPORT`` socket (Linux),
so the kernel spreads new connections over the workers by address hash, and the sockets are
made with ``IPPROTO_TCP``.

The parent only supervises (`serve` checks first that the port is free: a clear error, not N
tracebacks): it restarts a worker that dies after it was ready, stops when a worker cannot
start, and stops every worker on SIGINT or SIGTERM. Elsewhere than Linux, uvicorn's own
supervisor is used.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
from collections.abc import Callable

import uvicorn

APP_FACTORY = "projektatlas.web.app:create_served_app"
BACKLOG = 2048


class PortInUse(OSError):
    """The address is already taken by another program."""


def reuse_port_supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _address(host: str, port: int) -> tuple:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]


def check_port_free(host: str, port: int) -> None:
    """Raise `PortInUse` when something listens on (host, port) already."""
    family, kind, proto, _name, address = _address(host, port)
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise PortInUse(exc.errno, f"{host}:{port}: {exc.strerror}") from exc


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP listener on (host, port) in the port's SO_REUSEPORT group."""
    family, kind, proto, _name, address = _address(host, port)
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


class ReadyServer(uvicorn.Server):
    """uvicorn's server, calling ``on_ready()`` once the app is built and its sockets listen."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if not self.should_exit:
            self.on_ready()


def _worker(host: str, port: int, log_level: str, ready) -> None:
    sock = listening_socket(host, port)
    config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port, log_level=log_level)
    ReadyServer(config, lambda: ready.put(os.getpid())).run(sockets=[sock])


def run_workers(
    workers: int,
    host: str,
    port: int,
    on_ready: Callable[[], None],
    log_level: str = "warning",
    echo: Callable[[str], None] = print,
) -> int:
    """Run ``workers`` server processes until SIGINT/SIGTERM; the exit status to return.

    ``on_ready()`` is called once, when every worker listens; ``echo`` tells of restarts.

    The caller checks the port first (`check_port_free`); should it be taken meanwhile, the
    workers cannot bind and the run ends with status 1.
    """
    context = multiprocessing.get_context("spawn")  # no store connections inherited
    ready = context.Queue()
    ready_pids: set[int] = set()
    announced = False

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(host, port, log_level, ready), daemon=False)
        process.start()
        return process

    stop: list[int] = []
    previous = {
        sig: signal.signal(sig, lambda signum, _frame: stop.append(signum))
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    processes = [start() for _ in range(workers)]
    status = 0
    try:
        while not stop:
            while not ready.empty():
                ready_pids.add(ready.get())
                if len(ready_pids) >= workers and not announced:
                    on_ready()
                    announced = True
            for i, process in enumerate(processes):
                if process.is_alive() or stop:
                    continue
                if process.pid not in ready_pids:
                    echo(f"En serverprocess kunde inte starta (kod {process.exitcode}); avslutar.")
                    status = 1
                    stop.append(0)
                    break
                echo(f"En serverprocess avslutades (kod {process.exitcode}); startar en ny.")
                processes[i] = start()
            multiprocessing.connection.wait([p.sentinel for p in processes], timeout=0.25)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes open requests, then exits
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status
