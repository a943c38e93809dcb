"""A cold server under concurrent requests loads the search snapshot once, not per thread."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from projektatlas.search import snapshot


class _Conn:
    """Just enough of a Connection for get_snapshot: an engine URL."""

    def __init__(self, url: str) -> None:
        self.engine = SimpleNamespace(url=SimpleNamespace(render_as_string=lambda **_: url))


def test_concurrent_cold_requests_load_the_snapshot_once(monkeypatch):
    loads: list[str] = []
    versions = {"v": "1"}

    def slow_load(conn, version):
        loads.append(version)
        time.sleep(0.2)  # long enough for every thread to arrive while it loads
        return SimpleNamespace(version=version)

    monkeypatch.setattr(snapshot, "_load", slow_load)
    monkeypatch.setattr(snapshot, "index_version", lambda conn: versions["v"])
    snapshot.clear_cache()
    conn = _Conn("sqlite:///concurrency-test.db")
    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(snapshot.get_snapshot(conn))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == ["1"]
    assert len(got) == 8 and all(g is got[0] for g in got)

    versions["v"] = "2"  # the index changed: the next request loads the new version
    assert snapshot.get_snapshot(conn).version == "2"
    assert loads == ["1", "2"]
    snapshot.clear_cache()
