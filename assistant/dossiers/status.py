"""The 10 dossier statuses of the National Public Service Portal, in plain Vietnamese with next steps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class DossierStatus(IntEnum):
    NEW = 1  # Mới đăng ký
    RECEIVED = 2  # Được tiếp nhận
    REJECTED = 3  # Không được tiếp nhận
    PROCESSING = 4  # Đang xử lý
    NEEDS_SUPPLEMENT = 5  # Yêu cầu bổ sung giấy tờ
    NEEDS_PAYMENT = 6  # Yêu cầu thực hiện nghĩa vụ tài chính
    WITHDRAWN = 7  # Công dân rút hồ sơ
    STOPPED = 8  # Dừng xử lý
    DONE = 9  # Đã xử lý xong
    RETURNED = 10  # Đã trả kết quả

    @property
    def info(self) -> StatusInfo:
        return STATUS_INFO[self]

    @property
    def is_closed(self) -> bool:
        """No more work by the agency: a due date no longer means anything for these."""
        return self in _CLOSED

    @property
    def waits_for_citizen(self) -> bool:
        """The clock is on the citizen's side (supplement, payment), not the agency's."""
        return self in (DossierStatus.NEEDS_SUPPLEMENT, DossierStatus.NEEDS_PAYMENT)


@dataclass(frozen=True)
class StatusInfo:
    label: str  # the portal's own wording
    meaning: str  # what it means, in plain words
    next_step: str  # what the citizen should do now


STATUS_INFO: dict[DossierStatus, StatusInfo] = {
    DossierStatus.NEW: StatusInfo(
        "Mới đăng ký",
        "hồ sơ đã được gửi lên hệ thống nhưng cơ quan chưa kiểm tra để tiếp nhận.",
        "Bạn chờ cơ quan kiểm tra hồ sơ; nếu cần bổ sung, cơ quan sẽ thông báo qua tin nhắn hoặc email.",
    ),
    DossierStatus.RECEIVED: StatusInfo(
        "Được tiếp nhận",
        "hồ sơ đã được cơ quan kiểm tra đủ thành phần và chính thức tiếp nhận.",
        "Bạn chưa cần làm gì thêm; hãy theo dõi đến ngày hẹn trả kết quả.",
    ),
    DossierStatus.REJECTED: StatusInfo(
        "Không được tiếp nhận",
        "hồ sơ không được tiếp nhận (thường do chưa đúng thành phần hoặc không thuộc thẩm quyền).",
        "Bạn xem lý do trong thông báo của cơ quan, hoàn thiện hồ sơ và nộp lại.",
    ),
    DossierStatus.PROCESSING: StatusInfo(
        "Đang xử lý",
        "hồ sơ đang được cán bộ thụ lý giải quyết.",
        "Bạn chưa cần làm gì thêm; hãy chờ đến ngày hẹn trả kết quả.",
    ),
    DossierStatus.NEEDS_SUPPLEMENT: StatusInfo(
        "Yêu cầu bổ sung giấy tờ",
        "cơ quan cần bạn bổ sung hoặc sửa đổi giấy tờ trong hồ sơ.",
        "Bạn xem thông báo yêu cầu bổ sung rồi mang/gửi giấy tờ còn thiếu đến nơi đã nộp hồ sơ "
        "(hoặc bổ sung trực tuyến trên Cổng Dịch vụ công nếu đã nộp trực tuyến).",
    ),
    DossierStatus.NEEDS_PAYMENT: StatusInfo(
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "hồ sơ đang chờ bạn nộp phí, lệ phí hoặc thuế theo thông báo.",
        "Bạn nộp tiền theo thông báo (trực tuyến trên Cổng Dịch vụ công hoặc tại nơi nộp hồ sơ) "
        "và giữ lại biên lai.",
    ),
    DossierStatus.WITHDRAWN: StatusInfo(
        "Công dân rút hồ sơ",
        "hồ sơ đã được rút theo đề nghị của người nộp.",
        "Nếu vẫn cần giải quyết thủ tục, bạn nộp hồ sơ mới.",
    ),
    DossierStatus.STOPPED: StatusInfo(
        "Dừng xử lý",
        "cơ quan đã dừng giải quyết hồ sơ.",
        "Bạn xem lý do trong thông báo của cơ quan hoặc liên hệ nơi nộp hồ sơ để được hướng dẫn.",
    ),
    DossierStatus.DONE: StatusInfo(
        "Đã xử lý xong",
        "hồ sơ đã giải quyết xong, kết quả đang chờ trả cho bạn.",
        "Bạn mang giấy hẹn và giấy tờ tùy thân đến nơi nộp hồ sơ để nhận kết quả "
        "(hoặc chờ bưu điện chuyển đến nếu đã đăng ký nhận qua bưu chính).",
    ),
    DossierStatus.RETURNED: StatusInfo(
        "Đã trả kết quả",
        "kết quả đã được trả cho bạn.",
        "Thủ tục đã hoàn tất. Nếu chưa nhận được kết quả gửi qua bưu chính, bạn liên hệ nơi nộp hồ sơ.",
    ),
}

_CLOSED = frozenset(
    {
        DossierStatus.REJECTED,
        DossierStatus.WITHDRAWN,
        DossierStatus.STOPPED,
        DossierStatus.DONE,
        DossierStatus.RETURNED,
    }
)
