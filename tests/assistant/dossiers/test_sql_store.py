"""The SQL dossier store: demo seed, lookups, timing and the second factor."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from assistant.database import Database, utcnow
from assistant.dossiers.sql_store import SqlDossierStore
from assistant.dossiers.status import STATUS_INFO, DossierStatus
from assistant.dossiers.store import DossierLookupUnavailable, Timeliness
from assistant.seed import DEMO_DOSSIERS, seed
from assistant.settings import Settings
from assistant.tables import DossierRow
from search_index.catalogue import Procedure

SECRET = Settings().phone_hash_secret


def test_seed_is_idempotent_and_covers_all_ten_statuses(
    database: Database, demo_procedures: list[Procedure]
) -> None:
    settings = Settings()
    assert seed(database, settings, demo_procedures) == (len(DEMO_DOSSIERS), 0)
    assert seed(database, settings, demo_procedures) == (0, len(DEMO_DOSSIERS))
    with database.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM dossiers")).scalar_one() == len(DEMO_DOSSIERS)
        statuses = {row[0] for row in connection.execute(sa.text("SELECT DISTINCT status FROM dossiers"))}
    assert statuses == set(range(1, 11))
    codes = {p.code for p in demo_procedures}
    store = SqlDossierStore(database, phone_hash_secret=SECRET)
    assert all(store.lookup(d.code).procedure_code in codes for d in DEMO_DOSSIERS)  # type: ignore[union-attr]


def test_lookup_gives_status_dates_and_computed_lateness(
    database: Database, demo_procedures: list[Procedure]
) -> None:
    seed(database, Settings(), demo_procedures)
    store = SqlDossierStore(database, phone_hash_secret=SECRET)
    now = utcnow()
    quá_hạn = store.lookup("H56.14-261105-0034")
    assert quá_hạn is not None and quá_hạn.status == DossierStatus.PROCESSING
    assert quá_hạn.timeliness(now) == Timeliness.OVERDUE
    assert quá_hạn.due_at is not None and quá_hạn.due_at.tzinfo is not None
    sắp_hạn = store.lookup("G22.12-261119-0105")
    assert sắp_hạn is not None and sắp_hạn.timeliness(now) == Timeliness.DUE_SOON
    # Computed, not stored: the same dossier is on time when looked at a week earlier.
    assert sắp_hạn.timeliness(now - timedelta(days=7)) == Timeliness.ON_TIME
    đã_trả = store.lookup("38.98.H29-261020-0002")
    assert đã_trả is not None and đã_trả.status == DossierStatus.RETURNED and đã_trả.finished_at is not None
    assert đã_trả.timeliness(now) == Timeliness.NOT_APPLICABLE
    assert store.lookup("H56.14-240101-9999") is None
    history = [status for status, _ in store.history("38.98.H29-261020-0002")]
    assert history == [
        DossierStatus.NEW,
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.DONE,
        DossierStatus.RETURNED,
    ]


def test_second_factor_checks_the_last_four_digits_only_through_a_salted_hash(
    database: Database, demo_procedures: list[Procedure]
) -> None:
    seed(database, Settings(), demo_procedures)
    record = SqlDossierStore(database, phone_hash_secret=SECRET).lookup("000.00.06.H56-261120-0012")
    assert record is not None
    assert record.phone_matches("5678", SECRET)
    assert not record.phone_matches("5679", SECRET)
    assert not record.phone_matches("5678", "another-secret")
    with database.engine.connect() as connection:
        stored = connection.execute(sa.select(DossierRow.__table__)).mappings().all()
    # The salt and the HMAC are random hex, which contains "5678" by chance about once in a hundred
    # seedings: they are checked for their form; every other text column for the digits themselves
    # (text only: a timestamp's microseconds may well read "…5678…").
    hex_columns = {"phone_last4_salt", "phone_last4_hash"}
    for row in stored:
        assert re.fullmatch(r"[0-9a-f]{16}", row["phone_last4_salt"])
        assert re.fullmatch(r"[0-9a-f]{64}", row["phone_last4_hash"])
        assert not any(isinstance(v, str) and "5678" in v for k, v in row.items() if k not in hex_columns)


def test_every_status_has_plain_vietnamese_meaning_and_next_step() -> None:
    assert [int(s) for s in STATUS_INFO] == list(range(1, 11))
    for info in STATUS_INFO.values():
        assert info.label and info.meaning and info.next_step


def test_database_down_is_a_clear_error_not_a_crash() -> None:
    store = SqlDossierStore(
        Database("postgresql+psycopg://postgres@127.0.0.1:1/nowhere"), phone_hash_secret=SECRET
    )
    with pytest.raises(DossierLookupUnavailable):
        store.lookup("H56.14-261105-0034")
