"""When a business may still write to a citizen on each platform, as the platforms document it.

- Messenger (Meta, "Send a Message" and "Message Tags"): a reply within 24 hours of the person's last
  message is a normal ``RESPONSE``; after that only a person (not the bot) may answer, for up to
  7 days, with ``messaging_type: MESSAGE_TAG`` and ``tag: HUMAN_AGENT``; beyond 7 days nothing can be
  sent until the person writes again (the Graph API refuses with error code 10).
- Zalo OA ("Tin phản hồi"): messages within 48 hours of the user's last message are replies (8 free per
  48 h); later messages count as proactive messages (tin chủ động), which only a verified OA with quota
  may send — Zalo refuses them otherwise (HTTP 200, ``error`` ≠ 0).
- Web widget: the message waits in the outbox and the widget shows it when the citizen comes back.

Automated status notifications (``api.notifications``) use less of these: on Messenger only the 24 hours
(an ``UPDATE``: Meta's tags for automated updates outside it — ACCOUNT_UPDATE, which once allowed "a
change in application status", CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE — were withdrawn on
27 April 2026, and HUMAN_AGENT forbids automated messages); on Zalo only the 48 hours of replies (a
proactive message costs the province quota and needs a verified OA). Beyond, they wait for the
citizen's next message.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

MESSENGER_STANDARD = timedelta(hours=24)
MESSENGER_HUMAN_AGENT = timedelta(days=7)
ZALO_REPLY = timedelta(hours=48)


class Window(StrEnum):
    STANDARD = "standard"  # a normal reply
    HUMAN_AGENT = "human_agent"  # Messenger: a person's reply with the HUMAN_AGENT tag
    PROACTIVE = "proactive"  # Zalo: a proactive message (the platform may refuse it)
    CLOSED = "closed"  # nothing may be sent until the citizen writes again


def messenger_window(last_inbound: datetime | None, now: datetime) -> Window:
    if last_inbound is None:
        return Window.CLOSED
    age = now - last_inbound
    if age <= MESSENGER_STANDARD:
        return Window.STANDARD
    return Window.HUMAN_AGENT if age <= MESSENGER_HUMAN_AGENT else Window.CLOSED


def zalo_window(last_inbound: datetime | None, now: datetime) -> Window:
    if last_inbound is not None and now - last_inbound <= ZALO_REPLY:
        return Window.STANDARD
    return Window.PROACTIVE


def closed_window_text(channel: str) -> str:
    """What the console says instead of "vui lòng thử lại" when a platform's window is over."""
    if channel == "messenger":
        return (
            "Công dân nhắn tin lần cuối trên Messenger đã quá 7 ngày nên Messenger không cho gửi tin nữa "
            "cho tới khi họ nhắn lại. Nội dung đã được lưu; hãy liên hệ công dân qua thông tin liên hệ khác "
            "nếu có."
        )
    return (
        "Công dân nhắn tin lần cuối trên Zalo đã quá 48 giờ: tin gửi lúc này là tin chủ động và Zalo đã "
        "từ chối (OA cần được xác thực và còn hạn mức). Nội dung đã được lưu; hãy liên hệ công dân qua "
        "thông tin liên hệ khác nếu có."
    )
