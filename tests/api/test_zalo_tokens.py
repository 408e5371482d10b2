"""The Zalo OA access token lives about 25 hours: the gateway renews it with the refresh token (OAuth v4),
keeps the newest pair in the database, and renews once more when Zalo says the token is invalid."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from api.zalo_client import RENEW_BEFORE, TOKEN_NAME
from assistant.channel_tokens import ChannelToken, ChannelTokenStore
from assistant.database import utcnow
from evaluation.platform_fakes import FakePlatform, fake_zalo, zalo_rules
from tests.api.conftest import RunningApi, gateway_app, serve
from tests.api.test_webhooks_zalo import signed_headers, to_user, zalo_event

APP_SECRET = "zalo-app-secret-key-test"


@pytest.fixture
def zalo() -> Iterator[FakePlatform]:
    """A Zalo of its own: only the tokens it issued are valid."""
    fake = fake_zalo()
    rules = zalo_rules(fake)
    rules.valid_tokens = set()
    rules.app_secret_key = APP_SECRET
    yield fake
    fake.close()


@pytest.fixture
def renewing_gateway(
    tmp_path: Path, zalo: FakePlatform, graph_platform: FakePlatform
) -> Iterator[RunningApi]:
    running = serve(
        gateway_app(
            tmp_path,
            zalo,
            graph_platform,
            zalo_access_token="token-from-the-developer-site",  # its age is unknown: renewed at once
            zalo_refresh_token=zalo_rules(zalo).issue_refresh_token(),
            zalo_app_secret_key=APP_SECRET,
            zalo_oauth_base=zalo.url,
        )
    )
    yield running
    running.stop()


def renewals(zalo: FakePlatform) -> list[dict[str, str]]:
    return [r.body for r in zalo.sent_to(lambda r: r.path == "/v4/oa/access_token")]


def say(gateway: RunningApi, user: str, text: str = "xin chào") -> None:
    body = zalo_event(user, text=text)
    with gateway.client() as c:
        assert c.post("/webhooks/zalo", content=body, headers=signed_headers(body)).status_code == 200


def test_token_duoc_gia_han_bang_refresh_token_va_luu_lai(
    renewing_gateway: RunningApi, zalo: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    say(renewing_gateway, user)
    sent = zalo.wait_for(to_user(user))
    assert sent, "no reply reached Zalo"
    (renewal,) = renewals(zalo)
    assert renewal["grant_type"] == "refresh_token" and renewal["app_id"]
    stored = ChannelTokenStore(renewing_gateway.services.domain.database).get(TOKEN_NAME)
    assert stored is not None and sent[0].headers["access_token"] == stored.access_token
    assert stored.refresh_token != renewal["refresh_token"]  # Zalo hands out a new one each time
    assert stored.expires_at > utcnow() + timedelta(hours=24)

    # Still valid: the next messages use it without renewing.
    before = zalo.settled_count(to_user(user), quiet=0.5)
    say(renewing_gateway, user, "cảm ơn")
    assert zalo.settled_count(to_user(user), quiet=0.5) > before
    assert len(renewals(zalo)) == 1


def test_gan_het_han_thi_gia_han_truoc(renewing_gateway: RunningApi, zalo: FakePlatform) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    say(renewing_gateway, user)
    zalo.wait_for(to_user(user))
    store = ChannelTokenStore(renewing_gateway.services.domain.database)
    current = store.get(TOKEN_NAME)
    assert current is not None
    store.put(
        TOKEN_NAME, ChannelToken(current.access_token, current.refresh_token, utcnow() + RENEW_BEFORE / 2)
    )
    before = zalo.settled_count(to_user(user), quiet=0.5)
    say(renewing_gateway, user, "hồ sơ của tôi")
    zalo.wait_for(to_user(user), count=before + 1)  # sent after the renewed token was stored
    assert len(renewals(zalo)) == 2
    renewed = store.get(TOKEN_NAME)
    assert renewed is not None and renewed.access_token != current.access_token


def test_zalo_bao_token_khong_hop_le_thi_gia_han_va_gui_lai_mot_lan(
    renewing_gateway: RunningApi, zalo: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    say(renewing_gateway, user)
    first = zalo.settled_count(to_user(user), quiet=0.5)
    rules = zalo_rules(zalo)
    assert rules.valid_tokens is not None
    revoked = set(rules.valid_tokens)
    rules.valid_tokens.clear()  # revoked on Zalo's side (the OA admin re-authorised the app, say)
    say(renewing_gateway, user, "cảm ơn")
    zalo.settled_count(to_user(user), quiet=0.5)
    assert len(renewals(zalo)) == 2
    later = zalo.sent_to(to_user(user))[first:]
    # The refused send with the revoked token, then the same message with the renewed one.
    assert later[0].headers["access_token"] in revoked
    assert later[1].body == later[0].body and later[1].headers["access_token"] not in revoked
    store = ChannelTokenStore(renewing_gateway.services.domain.database).get(TOKEN_NAME)
    assert store is not None and later[-1].headers["access_token"] == store.access_token


def test_su_kien_follow_chao_nguoi_quan_tam_moi_theo_follower_id(
    gateway: RunningApi, zalo_platform: FakePlatform
) -> None:
    user = f"zalo-{uuid.uuid4().hex[:8]}"
    # As Zalo documents the follow event: the new follower is in "follower", there is no "sender".
    event = {
        "app_id": "zalo-app-test",
        "oa_id": "579745863508352884",
        "user_id_by_app": "552177279717587730",
        "event_name": "follow",
        "timestamp": str(int(time.time() * 1000)),  # within ZALO_TIMESTAMP_TOLERANCE_SECONDS
        "source": "oa_profile",
        "follower": {"id": user},
    }
    body = json.dumps(event).encode()
    with gateway.client() as c:
        answer = c.post("/webhooks/zalo", content=body, headers=signed_headers(body))
    assert answer.json()["status"] == "accepted"
    greeting = zalo_platform.wait_for(to_user(user))
    assert greeting and "Xin chào" in greeting[0].body["message"]["text"]
