"""`make run` starts one Rasa and one action server, or the replicas RASA_REPLICAS/ACTION_REPLICAS ask for,
sharing the tracker store and a Redis lock store, with the gateway given every replica."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from api.local_run import Ports, plan, redis_lock_store
from api.settings import ApiSettings
from assistant.settings import Settings


def test_one_replica_each_is_the_procfile() -> None:
    procfile, files = plan(ApiSettings(), Settings(), Ports(), "var/models/rasa/assistant.tar.gz")
    assert procfile == Path("Procfile") and files == {}


def test_replicas_without_redis_are_refused() -> None:
    with pytest.raises(SystemExit, match="REDIS_URL"):
        plan(ApiSettings(rasa_replicas=2), Settings(redis_url=None), Ports(), "m.tar.gz")


def test_replicas_share_the_tracker_store_and_a_redis_lock_and_the_gateway_knows_them_all() -> None:
    settings = ApiSettings(rasa_replicas=3, action_replicas=2)
    procfile, files = plan(settings, Settings(redis_url="redis://127.0.0.1:6379/2"), Ports(), "m.tar.gz")
    lines = dict(line.split(": ", 1) for line in files[str(procfile)].splitlines())
    assert sorted(lines) == ["actions1", "actions2", "api", "rasa1", "rasa2", "rasa3"]
    assert "-p 5007 " in lines["rasa3"] and "--port 5056" in lines["actions2"]
    assert "RASA_URL=http://127.0.0.1:5005,http://127.0.0.1:5006,http://127.0.0.1:5007" in lines["api"]
    assert "ACTION_SERVER_URL=http://127.0.0.1:5055,http://127.0.0.1:5056" in lines["api"]
    # Each action server has its own Qdrant folder: local mode locks it.
    assert "QDRANT_PATH=var/qdrant/actions1" in lines["actions1"]
    assert "QDRANT_PATH=var/qdrant/actions2" in lines["actions2"]
    endpoints = [yaml.safe_load(files[f"var/run/endpoints-rasa{i}.yml"]) for i in (1, 2, 3)]
    assert [e["action_endpoint"]["url"] for e in endpoints] == [
        "http://127.0.0.1:5055/webhook",
        "http://127.0.0.1:5056/webhook",
        "http://127.0.0.1:5055/webhook",
    ]
    assert all(e["tracker_store"] == endpoints[0]["tracker_store"] for e in endpoints)
    assert endpoints[0]["tracker_store"]["type"] == "bot.gateway_channel.TurnSummarySQLTrackerStore"
    assert endpoints[0]["lock_store"] == {
        "type": "redis",
        "url": "127.0.0.1",
        "port": 6379,
        "db": 2,
        "key_prefix": "rasa",
    }


def test_the_lock_store_reads_password_and_tls_from_redis_url() -> None:
    lock = yaml.safe_load(redis_lock_store("rediss://:s%40cret@redis.tinh:6380/1"))["lock_store"]
    assert lock == {
        "type": "redis",
        "url": "redis.tinh",
        "port": 6380,
        "db": 1,
        "key_prefix": "rasa",
        "password": "s@cret",
        "use_ssl": True,
    }
