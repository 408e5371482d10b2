"""The demo dossiers (`python -m assistant seed`, `make seed`): one of every status, on demo procedures.

Idempotent: the demo codes are fixed and upserted. Due dates of open dossiers are set relative to
the moment of seeding, so "overdue" and "due soon" examples stay true whenever the demo is set up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from assistant.database import VN_TZ, Database, utcnow
from assistant.dossiers.sql_store import NewDossier, SqlDossierStore
from assistant.dossiers.status import DossierStatus as S
from assistant.settings import Settings
from search_index.catalogue import Procedure


@dataclass(frozen=True)
class DemoDossier:
    code: str
    status: S
    due_in_days: float | None  # relative to seeding time; None: fixed from the receipt date
    applicant: str
    phone: str
    note: str


# The path of statuses a dossier went through to reach its current one.
_PATHS: dict[S, list[S]] = {
    S.NEW: [S.NEW],
    S.RECEIVED: [S.NEW, S.RECEIVED],
    S.REJECTED: [S.NEW, S.REJECTED],
    S.PROCESSING: [S.NEW, S.RECEIVED, S.PROCESSING],
    S.NEEDS_SUPPLEMENT: [S.NEW, S.RECEIVED, S.PROCESSING, S.NEEDS_SUPPLEMENT],
    S.NEEDS_PAYMENT: [S.NEW, S.RECEIVED, S.PROCESSING, S.NEEDS_PAYMENT],
    S.WITHDRAWN: [S.NEW, S.RECEIVED, S.PROCESSING, S.WITHDRAWN],
    S.STOPPED: [S.NEW, S.RECEIVED, S.PROCESSING, S.STOPPED],
    S.DONE: [S.NEW, S.RECEIVED, S.PROCESSING, S.DONE],
    S.RETURNED: [S.NEW, S.RECEIVED, S.PROCESSING, S.DONE, S.RETURNED],
}

DEMO_DOSSIERS: list[DemoDossier] = [
    DemoDossier("000.00.06.H56-261120-0012", S.NEW, 6, "Nguyễn V** A**", "0912345678", "mới đăng ký"),
    DemoDossier("H56.14-261118-0003", S.RECEIVED, 5, "Trần T** B**", "0987001234", "được tiếp nhận"),
    DemoDossier(
        "38.98.H29-261115-0007", S.REJECTED, None, "Lê V** C**", "0903111222", "không được tiếp nhận"
    ),
    DemoDossier("H56.14-261110-0021", S.PROCESSING, 6, "Phạm T** D**", "0978123456", "đang xử lý, trong hạn"),
    DemoDossier("H56.14-261105-0034", S.PROCESSING, -3, "Hoàng V** E**", "0934567890", "đang xử lý, QUÁ HẠN"),
    DemoDossier("G22.12-261119-0105", S.PROCESSING, 1, "Vũ T** G**", "0945678901", "đang xử lý, SẮP ĐẾN HẠN"),
    DemoDossier(
        "000.00.06.H56-261112-0042", S.NEEDS_SUPPLEMENT, 4, "Đặng V** H**", "0956789012", "cần bổ sung"
    ),
    DemoDossier("38.98.H29-261114-0019", S.NEEDS_PAYMENT, 3, "Bùi T** K**", "0967890123", "cần nộp phí"),
    DemoDossier("H56.14-261101-0008", S.WITHDRAWN, None, "Đỗ V** L**", "0918765432", "công dân rút hồ sơ"),
    DemoDossier("000.00.06.H56-261028-0051", S.STOPPED, None, "Hồ T** M**", "0929876543", "dừng xử lý"),
    DemoDossier("H56.14-261116-0027", S.DONE, None, "Ngô V** N**", "0938765123", "xong, chờ nhận kết quả"),
    DemoDossier("38.98.H29-261020-0002", S.RETURNED, None, "Dương T** P**", "0949876234", "đã trả kết quả"),
    DemoDossier(
        "000.00.06.H56-261102-0061", S.RECEIVED, -5, "Lý V** Q**", "0961234987", "được tiếp nhận, QUÁ HẠN"
    ),
]
_CHANNELS = ("trực tiếp", "trực tuyến", "bưu chính")


def _received_at(code: str) -> datetime:
    """The receipt date is part of the code (yyMMdd); morning office hours, Vietnam time."""
    day = datetime.strptime(code.rsplit("-", 2)[1], "%y%m%d")
    return day.replace(hour=8, minute=30, tzinfo=VN_TZ)


def build_demo_dossiers(procedures: list[Procedure], now: datetime) -> list[NewDossier]:
    if not procedures:
        raise ValueError("the demo catalogue has no procedures")
    dossiers = []
    for index, demo in enumerate(DEMO_DOSSIERS):
        procedure = procedures[index % len(procedures)]
        received = _received_at(demo.code)
        due = (
            now + timedelta(days=demo.due_in_days)
            if demo.due_in_days is not None
            else received + timedelta(7)
        )
        path = _PATHS[demo.status]
        # Spread the history between receipt and the latest change (never after now).
        last_change = min(now, max(received, due - timedelta(days=2)))
        step = (last_change - received) / max(1, len(path) - 1)
        history = [(status, received + step * i) for i, status in enumerate(path)]
        finished = history[-1][1] if demo.status.is_closed else None
        dossiers.append(
            NewDossier(
                code=demo.code,
                procedure_code=procedure.code,
                procedure_name=procedure.name,
                agency=(procedure.agencies or [procedure.competent_authority or "Ủy ban nhân dân cấp xã"])[0],
                channel=_CHANNELS[index % len(_CHANNELS)],
                received_at=received,
                due_at=due,
                applicant_masked=demo.applicant,
                phone_number=demo.phone,
                history=history,
                finished_at=finished,
            )
        )
    return dossiers


def seed(database: Database, settings: Settings, procedures: list[Procedure]) -> tuple[int, int]:
    """Migrate and upsert the demo dossiers; returns (created, updated)."""
    database.ensure_schema()
    store = SqlDossierStore(database, phone_hash_secret=settings.phone_hash_secret)
    created = sum(store.upsert(d) for d in build_demo_dossiers(procedures, utcnow()))
    return created, len(DEMO_DOSSIERS) - created
