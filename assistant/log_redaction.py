"""A logging filter that removes phone numbers, ID-card numbers, e-mail addresses, names and secrets
(tokens in URLs, bearer headers) from log records.

Citizens type personal data into the chat; none of it may reach the logs. Install it once per
process with ``install_redaction()`` (the action server does it when its services are first
created; the API may do the same), or attach ``RedactionFilter`` to a handler.
"""

from __future__ import annotations

import logging
import re

# Vietnamese phone numbers: 0xxxxxxxxx or +84/84 xxxxxxxxx (also "(+84)"), with optional spaces, dots or
# dashes between the digits.
_PHONE = re.compile(r"(?<![\d.\-])(?:\(\+?84\)\s?|\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
# CMND (9 digits) and CCCD (12 digits), as one block or in groups ("0790 1234 5678", "079.123.456").
_ID_NUMBER = re.compile(r"(?<![\w.\-])(?:\d(?:[\s.\-]?\d){11}|\d(?:[\s.\-]?\d){8})(?![\d]|[.\-]\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Secrets and personal data in URLs' query strings (httpx and access logs print whole URLs).
_SECRET_PARAM = re.compile(
    r"(?i)\b(access_token|token|auth_token|api_key|apikey|password|secret|appsecret_proof|signature"
    r"|phone_last4|phone_number|phone|contact|email)=(?!\[đã ẩn\])([^&\s\"'#]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer)\s+[\w.\-~+/]+=*")
# "tên (tôi) là Nguyễn Văn A", "họ tên: …", "tôi là …": the next 2–4 capitalised words.
_NAME = re.compile(
    r"(?i:(họ\s+và\s+tên|họ\s+tên|tên\s+tôi\s+là|tên\s+là|tôi\s+là|ho\s+ten|ten\s+toi\s+la))"
    r"(\s*:?\s*)((?:[A-ZÀ-Ỹ][\wÀ-ỹ]*\s*){2,4})"
)
# Keys of Rasa/API payloads that carry personal data.
_SENSITIVE_FIELD = re.compile(
    r"""(["']?(?:phone_number|phone_last4|feedback_contact|contact|applicant_masked|access_token|token)"""
    r"""["']?\s*[:=]\s*)"""
    r"""(["'])(.*?)\2"""
)


def redact(text: str) -> str:
    text = _SENSITIVE_FIELD.sub(lambda m: f"{m.group(1)}{m.group(2)}[đã ẩn]{m.group(2)}", text)
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}=[đã ẩn]", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} [đã ẩn]", text)
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[SĐT]", text)
    text = _ID_NUMBER.sub("[số giấy tờ]", text)
    return _NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}[họ tên] ", text)


def redact_record(record: logging.LogRecord) -> None:
    """Redact in place; never raises, even for a malformed call (``log.info("%s %s", one)``)."""
    try:
        message = record.getMessage()
    except Exception:
        # Logging's own formatting would fail later and print the raw arguments to stderr: keep a
        # redacted trace of the call instead, and never raise inside the code that logged.
        record.msg = redact(f"{record.msg!s} (malformed log call, arguments: {record.args!r})")
        record.args = None
        return
    redacted = redact(message)
    if redacted != message:
        record.msg, record.args = _redacted_call(record, redacted)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)


def _redacted_call(record: logging.LogRecord, redacted: str) -> tuple[object, tuple[object, ...] | None]:
    """The format and arguments with each string redacted, when that hides everything (formatters such
    as uvicorn's access log read the arguments); else the whole redacted message without arguments."""
    if isinstance(record.msg, str) and isinstance(record.args, tuple) and record.args:
        msg = redact(record.msg)
        args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        try:
            candidate = msg % args
        except Exception:
            return redacted, None
        if redact(candidate) == candidate:
            return msg, args
    return redacted, None


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
