"""The latency rounds of the benchmarks (benchmarks.run.latency_rounds) give no server a fixed place: the one that
comes first after the floor's work measured faster than the same code in another place."""

from __future__ import annotations

import subprocess
from collections import Counter

import pytest

from benchmarks.peers import Peer
from benchmarks.run import turn_order


def _peers(count: int) -> list[Peer]:
    return [Peer(f"server {i}", f"http://127.0.0.1:{9000 + i}/", subprocess.Popen(["true"]), 0.0) for i in range(count)]


@pytest.mark.parametrize("count", [1, 2, 4, 5])
def test_every_server_takes_every_place_once_in_as_many_rounds(count: int) -> None:
    servers = _peers(count)
    places = Counter((place, server.name) for number in range(count) for place, server in enumerate(turn_order(servers, number)))
    assert places == Counter({(place, server.name): 1 for place in range(count) for server in servers})


def test_each_round_has_every_server_once() -> None:
    servers = _peers(4)
    assert all(sorted(s.name for s in turn_order(servers, n)) == [s.name for s in servers] for n in range(9))
