"""Renewable channel tokens: stored, renewed ahead of expiry, and — on PostgreSQL, where the row is
locked — never renewed twice at once (a Zalo refresh token works only once)."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from assistant.channel_tokens import ChannelToken, ChannelTokenStore
from assistant.database import Database, utcnow

HOUR = timedelta(hours=1)


def test_token_con_han_khong_gia_han_sap_het_han_thi_gia_han(database: Database) -> None:
    store = ChannelTokenStore(database)
    renewed: list[str] = []

    def renew(refresh: str) -> ChannelToken:
        renewed.append(refresh)
        return ChannelToken(f"access-{len(renewed)}", f"refresh-{len(renewed)}", utcnow() + 25 * HOUR)

    fresh = ChannelToken("access-0", "refresh-0", utcnow() + 10 * HOUR)
    assert store.current("zalo_oa", initial=fresh, renew_before=HOUR, renew=renew).access_token == "access-0"
    assert renewed == [] and store.get("zalo_oa") == fresh
    store.put("zalo_oa", ChannelToken("access-0", "refresh-0", utcnow() + HOUR / 2))
    assert store.current("zalo_oa", initial=fresh, renew_before=HOUR, renew=renew).access_token == "access-1"
    assert renewed == ["refresh-0"]
    stored = store.get("zalo_oa")
    assert stored is not None and stored.refresh_token == "refresh-1"


def test_gia_han_that_bai_thi_giu_token_cu(database: Database) -> None:
    store = ChannelTokenStore(database)
    store.put("zalo_oa", ChannelToken("access-0", "refresh-0", utcnow() + HOUR / 2))

    def refused(refresh: str) -> ChannelToken:
        raise RuntimeError("Invalid refresh token")

    with pytest.raises(RuntimeError):
        store.current("zalo_oa", initial=ChannelToken("", "", utcnow()), renew_before=HOUR, renew=refused)
    kept = store.get("zalo_oa")
    assert kept is not None and kept.refresh_token == "refresh-0"


@pytest.mark.postgres
def test_hai_tien_trinh_cung_gia_han_chi_mot_lan(postgres_url: str) -> None:
    database = Database(postgres_url)
    store = ChannelTokenStore(database)
    store.put("zalo_oa", ChannelToken("access-0", "refresh-0", utcnow()))
    spent: list[str] = []

    def renew(refresh: str) -> ChannelToken:
        spent.append(refresh)
        time.sleep(0.3)  # Zalo answering while the other process wants a token too
        return ChannelToken(f"access-{len(spent)}", f"refresh-{len(spent)}", utcnow() + 25 * HOUR)

    results: list[str] = []
    initial = ChannelToken("", "", utcnow())

    def use() -> None:
        results.append(store.current("zalo_oa", initial=initial, renew_before=HOUR, renew=renew).access_token)

    threads = [threading.Thread(target=use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    database.dispose()
    assert spent == ["refresh-0"] and results == ["access-1", "access-1"]
