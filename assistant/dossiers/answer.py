"""What the citizen reads about a dossier: status in plain Vietnamese, dates, lateness, next step."""

from __future__ import annotations

import re
from datetime import datetime

from assistant.database import VN_TZ
from assistant.dossiers.status import DossierStatus
from assistant.dossiers.store import DossierRecord, Timeliness
from assistant.dossiers.subscriptions import FINAL_STATUSES

CODE_EXAMPLES = "H56.14-240823-0001 hoặc 000.00.06.H56-231027-0361"


def vn_date(value: datetime) -> str:
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y")


def _calendar_days(earlier: datetime, later: datetime) -> int:
    """Whole days between two moments as a citizen counts them (Vietnamese calendar dates)."""
    return (later.astimezone(VN_TZ).date() - earlier.astimezone(VN_TZ).date()).days


def dossier_status_text(
    record: DossierRecord,
    *,
    now: datetime,
    due_soon_days: int,
    hotline: str,
    personal_shown: bool,
    phone_mismatch: bool,
) -> str:
    info = record.status.info
    lines = [f"Hồ sơ {record.code}" + (f" – {record.procedure_name}" if record.procedure_name else "") + ":"]
    lines.append(f"• Trạng thái: {info.label} – {info.meaning}")
    if record.agency:
        lines.append(f"• Cơ quan giải quyết: {record.agency}")
    lines.append(f"• Ngày tiếp nhận: {vn_date(record.received_at)}")
    if record.due_at is not None:
        lines.append(f"• Ngày hẹn trả kết quả: {vn_date(record.due_at)}")
    if record.finished_at is not None:
        lines.append(f"• Ngày hoàn thành: {vn_date(record.finished_at)}")
    lines.extend(_timeliness_lines(record, now, due_soon_days, hotline))
    late_at_the_agency = (
        record.timeliness(now, due_soon_days) == Timeliness.OVERDUE and not record.status.waits_for_citizen
    )
    if not late_at_the_agency:
        # An overdue dossier's line above already says what to do; "chờ đến ngày hẹn" would contradict it.
        lines.append(f"➜ Việc cần làm: {info.next_step}")
    if personal_shown and record.applicant_masked:
        lines.append(f"• Người nộp: {record.applicant_masked}")
    elif phone_mismatch:
        lines.append(
            "4 số cuối số điện thoại bạn nhập không khớp với hồ sơ, "
            "nên tôi không hiển thị thông tin người nộp."
        )
    return "\n".join(lines)


def _timeliness_lines(record: DossierRecord, now: datetime, due_soon_days: int, hotline: str) -> list[str]:
    state = record.timeliness(now, due_soon_days)
    due = record.due_at
    if due is None or state == Timeliness.NOT_APPLICABLE:
        return []
    if state == Timeliness.OVERDUE:
        days = _calendar_days(due, now)
        late = f"{days} ngày" if days > 0 else "(hạn là hôm nay)"
        if record.status.waits_for_citizen:
            return [f"⚠️ Đã quá ngày hẹn {late} và hồ sơ đang chờ bạn thực hiện yêu cầu ở trên."]
        return [
            f"⚠️ Hồ sơ đã quá hạn trả kết quả {late}.",
            f"➜ Việc cần làm: liên hệ nơi nộp hồ sơ để hỏi ngày trả mới, gọi đường dây nóng {hotline} "
            'hoặc gửi phản ánh (nhắn "tôi muốn phản ánh") để được giải quyết.',
        ]
    if state == Timeliness.DUE_SOON:
        days = _calendar_days(now, due)
        when = {0: "hôm nay", 1: "ngày mai"}.get(days, f"trong {days} ngày tới")
        return [f"⏰ Hồ sơ sắp đến hạn trả kết quả ({when})."]
    if state == Timeliness.FINISHED_LATE:
        return ["Hồ sơ được giải quyết muộn hơn ngày hẹn."]
    return [f"Hồ sơ đang trong hạn giải quyết (còn {_calendar_days(now, due)} ngày)."]


def second_factor_hint() -> str:
    return (
        "Nếu cần xem thông tin người nộp, bạn nhắn 4 số cuối số điện thoại đã đăng ký khi nộp hồ sơ "
        '(ví dụ: "5678").'
    )


def incomplete_digits_text() -> str:
    return "Bạn vui lòng nhập đủ 4 chữ số cuối của số điện thoại đã đăng ký ạ."


def not_found_text(code: str, hotline: str, portal_url: str) -> str:
    return (
        f"Tôi không tìm thấy hồ sơ có mã {code}. Bạn vui lòng kiểm tra lại mã trên giấy tiếp nhận và hẹn "
        f"trả kết quả. Hồ sơ vừa nộp có thể chưa kịp cập nhật; bạn cũng có thể tra cứu tại {portal_url} "
        f"hoặc gọi đường dây nóng {hotline}."
    )


def malformed_code_text(raw: str) -> str:
    # Quote only the code-like part of the message ("H56.14-2611-0021"), not the whole sentence.
    fragment = max(re.findall(r"[\w.]*\d[\w.]*(?:\s*[-–—]\s*[\w.]+)+", raw), key=len, default=raw.strip())
    shown = fragment[:40]
    return (
        f'Mã hồ sơ "{shown}" chưa đúng định dạng. Mã hồ sơ in trên giấy tiếp nhận có dạng '
        f"<mã cơ quan>-<năm tháng ngày>-<số thứ tự>, ví dụ {CODE_EXAMPLES}. Bạn vui lòng gửi lại mã ạ."
    )


def no_code_text() -> str:
    return (
        "Tôi chưa thấy mã hồ sơ trong tin nhắn. Mã hồ sơ in trên giấy tiếp nhận, có dạng "
        f"{CODE_EXAMPLES}. Bạn vui lòng gửi mã ạ."
    )


def unavailable_text(hotline: str, portal_url: str) -> str:
    return (
        "Xin lỗi, hệ thống tạm thời không tra cứu được hồ sơ. Bạn vui lòng thử lại sau ít phút, tra cứu "
        f"tại {portal_url} hoặc gọi đường dây nóng {hotline} để được hỗ trợ."
    )


def second_factor_locked_text(window_minutes: int, hotline: str) -> str:
    return (
        "4 số cuối số điện thoại của hồ sơ này đã bị nhập sai nhiều lần, nên tạm thời tôi không kiểm tra "
        f"thêm để bảo vệ thông tin người nộp. Bạn vui lòng thử lại sau khoảng {window_minutes} phút, hoặc "
        f"gọi đường dây nóng {hotline}."
    )


def rate_limited_text(window_minutes: int, hotline: str) -> str:
    return (
        f"Bạn đã tra cứu nhiều lần trong thời gian ngắn. Để bảo vệ thông tin hồ sơ, bạn vui lòng thử lại "
        f"sau khoảng {window_minutes} phút, hoặc gọi đường dây nóng {hotline}."
    )


# ---------------------------------------------------------------- status notifications (subscriptions)
STOP_HINT = 'Nhắn "hủy theo dõi" nếu bạn không muốn nhận thông báo nữa.'


def subscribed_text(code: str, channel: str) -> str:
    where = {
        "zalo": "qua Zalo",
        "messenger": "qua Messenger",
    }.get(channel, "trong khung trò chuyện này (hiện khi bạn quay lại trang)")
    return (
        f"Đã đăng ký: khi hồ sơ {code} chuyển trạng thái, tôi sẽ nhắn bạn {where}, mỗi lần thay đổi một tin "
        f"ngắn. {STOP_HINT}"
    )


def already_subscribed_text(code: str) -> str:
    return (
        f"Bạn đã đăng ký theo dõi hồ sơ {code} rồi; khi hồ sơ chuyển trạng thái tôi sẽ báo bạn. {STOP_HINT}"
    )


def nothing_to_follow_text(code: str, label: str) -> str:
    return (
        f"Hồ sơ {code} đã ở trạng thái cuối ({label}) nên sẽ không có thay đổi nào để báo nữa. "
        "Nếu cần, bạn liên hệ nơi nộp hồ sơ ạ."
    )


def subscribe_needs_code_text() -> str:
    return (
        "Để nhận thông báo khi hồ sơ có kết quả, bạn gửi giúp tôi mã hồ sơ kèm 4 số cuối số điện thoại đã "
        'đăng ký khi nộp (ví dụ: "H56.14-240823-0001 5678") ạ.'
    )


def subscribe_needs_digits_text(code: str) -> str:
    return (
        f"Để đăng ký nhận thông báo về hồ sơ {code}, bạn nhắn 4 số cuối số điện thoại đã đăng ký khi nộp hồ "
        'sơ (ví dụ: "5678") ạ.'
    )


def subscription_failed_text(hotline: str) -> str:
    return (
        "Xin lỗi, hệ thống tạm thời chưa ghi nhận được yêu cầu theo dõi hồ sơ của bạn. Bạn vui lòng nhắn lại "
        f"sau ít phút, hoặc gọi đường dây nóng {hotline} ạ."
    )


def subscription_dropped_text() -> str:
    return "Vâng, tôi không đăng ký theo dõi hồ sơ nữa ạ."


def unsubscribed_text(codes: list[str]) -> str:
    return (
        f"Đã hủy theo dõi hồ sơ {', '.join(codes)}: tôi sẽ không nhắn thông báo về hồ sơ này nữa. Bạn vẫn có "
        "thể tra cứu bất cứ lúc nào bằng mã hồ sơ."
    )


def nothing_to_unsubscribe_text() -> str:
    return (
        "Bạn chưa đăng ký theo dõi hồ sơ nào nên không có thông báo nào để dừng. Bạn cần hỏi gì về thủ tục "
        "hành chính không ạ?"
    )


def status_change_text(
    code: str, status: DossierStatus, changed_at: datetime, rating_link: str | None
) -> str:
    """One short message per change: the code, the new status and what to do — nothing personal, only
    what anyone holding the code may read."""
    info = status.info
    lines = [
        f"🔔 Hồ sơ {code} vừa chuyển sang trạng thái “{info.label}” ({vn_date(changed_at)}).",
        f"➜ {info.next_step}",
    ]
    if rating_link:
        lines.append(f"Bạn có thể đánh giá việc giải quyết hồ sơ tại {rating_link}")
    if status in FINAL_STATUSES:
        lines.append("Đây là thông báo cuối cùng về hồ sơ này.")
    else:
        lines.append(STOP_HINT)
    return "\n".join(lines)
