"""Redaction of personal data in logs: phone and ID numbers, names, sensitive payload fields."""

from __future__ import annotations

import logging

import pytest

from assistant.log_redaction import install_redaction, redact


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("số của tôi 0912 345 678", "0912 345 678"),
        ("gọi +84912345678 nhé", "+84912345678"),
        ("CCCD 001203004567", "001203004567"),
        ("CMND 123456789", "123456789"),
        ("họ tên: Nguyễn Văn An", "Nguyễn Văn An"),
        ('{"phone_last4": "5678"}', "5678"),
        # issue 13, finding 7: grouped ID numbers, dotted phones, e-mail, digits in query strings
        ("CCCD 0790 1234 5678", "0790 1234 5678"),
        ("CMND 079.123.456", "079.123.456"),
        ("gọi 0912.345.678", "0912.345.678"),
        ("(+84) 912.345.678", "912.345.678"),
        ("thư gửi nguyen.van.a+dvc@gmail.com", "nguyen.van.a+dvc@gmail.com"),
        ('"GET /api/v1/dossiers/H56.14-261020-0777?phone_last4=5678 HTTP/1.1" 200', "5678"),
        # finding 2: tokens in the URLs httpx logs, bearer headers
        ("POST https://graph.facebook.com/v21.0/me/messages?access_token=EAAGm0PX4ZCps", "EAAGm0PX4ZCps"),
        ("GET http://rasa:5005/status?token=s3cr3t-rasa&include_events=NONE", "s3cr3t-rasa"),
        ("Authorization: Bearer EAAGm0PX4ZCps", "EAAGm0PX4ZCps"),
    ],
)
def test_personal_data_is_redacted(text: str, hidden: str) -> None:
    assert hidden not in redact(text)


def test_codes_are_kept() -> None:
    text = "hồ sơ 000.00.06.H56-231027-0361, thủ tục 1.001193, mã 1.001193.000.00.00.H56"
    assert redact(text) == text
    assert redact("H56.14-261110-0021 lúc 2026-11-28 03:07:50,123") == (
        "H56.14-261110-0021 lúc 2026-11-28 03:07:50,123"
    )


def test_a_malformed_log_call_does_not_raise(caplog: pytest.LogCaptureFixture) -> None:
    # Finding 13: with redaction installed, formatting happened inside the caller and raised there.
    install_redaction()
    logging.getLogger("some.library").warning("hai tham số %s %s", "0987654321")  # one is missing
    logging.getLogger("some.library").warning("%d lần", "không phải số")
    assert "0987654321" not in caplog.text and "malformed log call" in caplog.text


def test_access_log_arguments_stay_usable(caplog: pytest.LogCaptureFixture) -> None:
    # uvicorn's access formatter unpacks record.args: redaction keeps them, each redacted.
    install_redaction()
    logging.getLogger("uvicorn.access").warning(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/x?phone_last4=5678", "1.1", 200
    )
    record = caplog.records[-1]
    assert isinstance(record.args, tuple) and len(record.args) == 5
    assert "5678" not in record.getMessage()


def test_installed_redaction_covers_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    install_redaction()
    install_redaction()  # twice is harmless
    logging.getLogger("some.library").warning("liên hệ %s", "0987654321")
    assert "0987654321" not in caplog.text and "[SĐT]" in caplog.text
