"""Citizens' satisfaction with how their dossier was handled (đánh giá mức độ hài lòng), per dossier.

The citizen rates overall (rất hài lòng / hài lòng / không hài lòng) and the usual criteria (thái độ
cán bộ, đúng hẹn, hướng dẫn đầy đủ, chi phí đúng quy định: met or not), with a comment. One rating per
dossier, which its holder may change; it is stored with the dossier's agency and procedure and never
with who gave it (no conversation, no contact), so reports cannot be traced back to a citizen.

The rating page is reached by a link given after a status lookup that showed the returned result
with the second factor: the link carries an HMAC of the dossier code, so codes alone cannot be rated.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from assistant.database import Database, as_utc, utcnow
from assistant.dossiers.status import DossierStatus
from assistant.tables import HandlingRatingRow

OVERALL = {"rat_hai_long": "Rất hài lòng", "hai_long": "Hài lòng", "khong_hai_long": "Không hài lòng"}
CRITERIA = {
    "staff_attitude": "Thái độ cán bộ",
    "on_time": "Đúng hẹn",
    "guidance": "Hướng dẫn đầy đủ",
    "fees": "Chi phí đúng quy định",
}
# Only a dossier whose handling is over can be rated.
RATEABLE = {DossierStatus.DONE, DossierStatus.RETURNED}


def rating_token(code: str, secret: str) -> str:
    return hmac.new(secret.encode(), f"handling-rating:{code}".encode(), hashlib.sha256).hexdigest()[:32]


def token_matches(code: str, token: str, secret: str) -> bool:
    return hmac.compare_digest(rating_token(code, secret), token)


def rating_link(public_url: str, code: str, secret: str) -> str:
    return f"{public_url.rstrip('/')}/danh-gia/{code}?t={rating_token(code, secret)}"


def rating_invitation(link: str) -> str:
    return (
        "Hồ sơ đã giải quyết xong. Bạn vui lòng đánh giá mức độ hài lòng về việc giải quyết hồ sơ "
        f"(thái độ cán bộ, đúng hẹn, hướng dẫn, chi phí) tại {link} — đánh giá không gắn với thông tin "
        "cá nhân của bạn."
    )


@dataclass(frozen=True)
class HandlingRating:
    dossier_code: str
    agency: str
    procedure_code: str
    overall: str
    criteria: dict[str, bool | None]
    comment: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class AgencySatisfaction:
    agency: str
    ratings: int
    satisfied_share: float  # rất hài lòng + hài lòng
    overall: dict[str, int]
    criteria_met_share: dict[str, float | None]  # of those who answered the criterion


class HandlingRatingStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    def rate(
        self,
        *,
        dossier_code: str,
        agency: str,
        procedure_code: str,
        overall: str,
        criteria: dict[str, bool | None],
        comment: str = "",
    ) -> HandlingRating:
        """Stores the dossier's rating, or replaces the one it had (one per dossier)."""
        if overall not in OVERALL:
            raise ValueError(f"unknown overall rating: {overall}")
        unknown = set(criteria) - set(CRITERIA)
        if unknown:
            raise ValueError(f"unknown criteria: {sorted(unknown)}")
        now = utcnow()
        with self._db.session() as session:
            row = session.scalar(
                select(HandlingRatingRow)
                .where(HandlingRatingRow.dossier_code == dossier_code)
                .with_for_update()
            )
            if row is None:
                row = HandlingRatingRow(dossier_code=dossier_code, created_at=now)
                session.add(row)
            row.agency = agency
            row.procedure_code = procedure_code
            row.overall = overall
            for name in CRITERIA:
                setattr(row, name, criteria.get(name))
            row.comment = comment.strip()[:2000]
            row.updated_at = now
            session.flush()
            return _rating(row)

    def get(self, dossier_code: str) -> HandlingRating | None:
        with self._db.session() as session:
            row = session.scalar(
                select(HandlingRatingRow).where(HandlingRatingRow.dossier_code == dossier_code)
            )
            return None if row is None else _rating(row)

    def by_agency(self) -> list[AgencySatisfaction]:
        """Satisfaction per agency, the most rated first."""
        per_agency: dict[str, list[HandlingRatingRow]] = {}
        with self._db.session() as session:
            for row in session.scalars(select(HandlingRatingRow)):
                per_agency.setdefault(row.agency, []).append(row)
            result = []
            for agency, rows in per_agency.items():
                overall = {key: sum(1 for r in rows if r.overall == key) for key in OVERALL}
                met: dict[str, float | None] = {}
                for name in CRITERIA:
                    answered = [getattr(r, name) for r in rows if getattr(r, name) is not None]
                    met[name] = round(sum(answered) / len(answered), 3) if answered else None
                satisfied = overall["rat_hai_long"] + overall["hai_long"]
                result.append(
                    AgencySatisfaction(agency, len(rows), round(satisfied / len(rows), 3), overall, met)
                )
        return sorted(result, key=lambda a: (-a.ratings, a.agency))


def _rating(row: HandlingRatingRow) -> HandlingRating:
    return HandlingRating(
        row.dossier_code,
        row.agency,
        row.procedure_code,
        row.overall,
        {name: getattr(row, name) for name in CRITERIA},
        row.comment,
        as_utc(row.created_at),
        as_utc(row.updated_at),
    )
