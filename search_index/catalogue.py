"""The typed model of an administrative procedure (thủ tục hành chính).

Every other part of the assistant reads procedures through this model: the
importer fills it from portal records, the search index embeds it, actions
and the API format answers from it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, computed_field


class Level(StrEnum):
    """Government level that handles the procedure (2025 two-level local government)."""

    MINISTRY = "bộ"
    PROVINCE = "tỉnh"
    COMMUNE = "xã"
    OTHER = "khác"


class ChannelKind(StrEnum):
    IN_PERSON = "trực tiếp"
    ONLINE = "trực tuyến"
    POSTAL = "bưu chính"


class OnlineLevel(StrEnum):
    """How much of the procedure can be done online."""

    FULL = "toàn trình"
    PARTIAL = "một phần"
    NONE = "không"


class TimeUnit(StrEnum):
    """Unit of a processing time, as the portal writes it (lowercase)."""

    WORKING_DAYS = "ngày làm việc"
    DAYS = "ngày"
    WORKING_HOURS = "giờ làm việc"
    HOURS = "giờ"
    MINUTES = "phút"
    WEEKS = "tuần"
    MONTHS = "tháng"
    YEARS = "năm"


class Currency(StrEnum):
    VND = "VND"
    USD = "USD"


class FeeItem(BaseModel):
    """One clause of a channel's fee text, with the amount it states (if any) read into fields.

    The text stays as published; the fields say what the clause means for an answer: how much,
    per what, for which way of submitting, in which period, or that it exempts.
    """

    text: str = Field(description="The clause as published, e.g. 'Nộp trực tiếp: 135.000 đồng/lần.'")
    amount: int | None = Field(default=None, description="The amount stated, None for a note without one")
    currency: Currency = Currency.VND
    per: str = Field(default="", description="What the amount is per, as published: 'lần', 'trang', 'bản'")
    label: str = Field(default="", description="What the clause calls it: 'Lệ phí', 'Phí thẩm định…'")
    channel: ChannelKind | None = Field(
        default=None, description="When the clause names one way of submitting"
    )
    valid_from: date | None = None
    valid_until: date | None = Field(default=None, description="Last day of a dated rate or exemption")
    exemption: bool = Field(
        default=False, description="A clause without amount that exempts someone or some period ('miễn …')"
    )

    @property
    def amount_vnd(self) -> int | None:
        return self.amount if self.currency == Currency.VND else None


class SubmissionChannel(BaseModel):
    kind: ChannelKind
    processing_time: str = Field(description="As published, e.g. '5 Ngày làm việc'")
    processing_days: float | None = Field(default=None, description="Working days when stated as such")
    time_value: float | None = Field(default=None, description="The number of the time cell, if any")
    time_unit: TimeUnit | None = Field(default=None, description="Its unit; None when the record gives none")
    time_notes: list[str] = Field(
        default_factory=list, description="Sentences of the description about the time, as published"
    )
    fee: str = Field(default="", description="As published, e.g. 'Lệ phí: 50.000 Đồng'")
    fee_vnd: int | None = Field(
        default=None,
        description="Lowest plausible amount in đồng the fee texts state; 0 only when the record says free "
        "and nothing in it states an amount or a fee to pay; None if unknown",
    )
    fee_items: list[FeeItem] = Field(
        default_factory=list, description="The fee cell, its details and the description's fee clauses"
    )
    description: str = ""


class RequiredDocument(BaseModel):
    name: str
    originals: int = 0
    copies: int = 0
    form: str | None = Field(default=None, description="Name of the form/declaration template, if any")


class LegalDocument(BaseModel):
    number: str = Field(description="e.g. '123/2015/NĐ-CP'")
    title: str = ""


class Procedure(BaseModel):
    code: str = Field(description="National code (mã thủ tục), e.g. '1.001193'")
    name: str
    levels: list[Level] = Field(default_factory=list)
    field: str = Field(default="", description="Lĩnh vực")
    agencies: list[str] = Field(default_factory=list, description="Cơ quan thực hiện")
    competent_authority: str = Field(default="", description="Cơ quan có thẩm quyền")
    submission_address: str = Field(default="", description="Địa chỉ tiếp nhận hồ sơ")
    authorized_agency: str = Field(default="", description="Cơ quan được ủy quyền")
    applicants: list[str] = Field(default_factory=list, description="Đối tượng thực hiện")
    channels: list[SubmissionChannel] = Field(default_factory=list)
    online_level: OnlineLevel = OnlineLevel.NONE
    documents: list[RequiredDocument] = Field(default_factory=list)
    steps: list[str] = Field(default_factory=list)
    conditions: str = ""
    legal_basis: list[LegalDocument] = Field(default_factory=list)
    result: str = ""
    source_url: str = ""
    updated_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def content_hash(self) -> str:
        """Hash of the content (not of ``updated_at``): re-imports of unchanged records are no-ops."""
        content = self.model_dump(mode="json", exclude={"updated_at", "content_hash"})
        payload = json.dumps(content, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]

    def channel(self, kind: ChannelKind) -> SubmissionChannel | None:
        return next((c for c in self.channels if c.kind == kind), None)
