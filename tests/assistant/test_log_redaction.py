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
    ],
)
def test_personal_data_is_redacted(text: str, hidden: str) -> None:
    assert hidden not in redact(text)


def test_codes_are_kept() -> None:
    text = "hồ sơ 000.00.06.H56-231027-0361, thủ tục 1.001193"
    assert redact(text) == text


def test_installed_redaction_covers_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    install_redaction()
    install_redaction()  # twice is harmless
    logging.getLogger("some.library").warning("liên hệ %s", "0987654321")
    assert "0987654321" not in caplog.text and "[SĐT]" in caplog.text
