"""A logging filter that removes phone numbers, ID-card numbers and known names from log records.

Citizens type personal data into the chat; none of it may reach the logs. Install it once per
process with ``install_redaction()`` (the action server does it when its services are first
created; the API may do the same), or attach ``RedactionFilter`` to a handler.
"""

from __future__ import annotations

import logging
import re

# Vietnamese phone numbers: 0xxxxxxxxx or +84/84 xxxxxxxxx, with optional spaces, dots or dashes.
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
# CMND (9 digits) and CCCD (12 digits) written as one block of digits.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)")
# "tên (tôi) là Nguyễn Văn A", "họ tên: …", "tôi là …": the next 2–4 capitalised words.
_NAME = re.compile(
    r"(?i:(họ\s+và\s+tên|họ\s+tên|tên\s+tôi\s+là|tên\s+là|tôi\s+là|ho\s+ten|ten\s+toi\s+la))"
    r"(\s*:?\s*)((?:[A-ZÀ-Ỹ][\wÀ-ỹ]*\s*){2,4})"
)
# Keys of Rasa/API payloads that carry personal data.
_SENSITIVE_FIELD = re.compile(
    r"""(["']?(?:phone_number|phone_last4|feedback_contact|contact|applicant_masked)["']?\s*[:=]\s*)"""
    r"""(["'])(.*?)\2"""
)


def redact(text: str) -> str:
    text = _SENSITIVE_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}[đã ẩn]{m.group(2)}", text)
    text = _PHONE.sub("[SĐT]", text)
    text = _ID_NUMBER.sub("[số giấy tờ]", text)
    return _NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}[họ tên] ", text)


def redact_record(record: logging.LogRecord) -> None:
    message = record.getMessage()
    redacted = redact(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_text:
        record.exc_text = redact(record.exc_text)


class RedactionFilter(logging.Filter):
    """For handlers configured elsewhere (e.g. uvicorn's); ``install_redaction`` covers the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install_redaction() -> None:
    """Redact every log record of this process as it is created, whatever logger or handler it uses.

    Safe to call more than once.
    """
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacting", False):
        return

    def redacting_factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        redact_record(record)
        return record

    redacting_factory.redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)
