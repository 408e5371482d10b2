"""One Alembic chain makes every table, and upgrades in place a database made by the code before it.

The "before" schema is the one the code of commit bb3ee8e made (Alembic 0001 for the action server's
tables, ``create_all`` at the API's start for the ``api_*`` tables), captured as DDL in the
``legacy_schema.*.sql`` files beside this test, on SQLite and on the real PostgreSQL.
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from assistant.conversations import ConversationStore
from assistant.database import ALEMBIC_INI, MIGRATIONS_DIR, Database
from assistant.dossiers.sql_store import SqlDossierStore
from assistant.dossiers.subscriptions import SubscriptionStore
from assistant.feedback import FeedbackStatus, FeedbackStore
from assistant.handoffs import HandoffStore
from assistant.operators import OperatorAccounts, Role, hash_password
from assistant.tables import Base

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
RECEIVED = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)


def head_revision() -> str:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_one_chain_security_then_onestop() -> None:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert script.get_heads() == ["0012"]
    chain = [(r.revision, r.down_revision) for r in reversed(list(script.walk_revisions()))]
    assert chain == [
        ("0001", None),
        ("0002", "0001"),
        ("0003", "0002"),
        ("0004", "0003"),  # console sessions
        ("0005", "0004"),  # conversation secret
        ("0006", "0005"),  # durable channel I/O
        ("0007", "0006"),  # feedback handling
        ("0008", "0007"),  # dossier handling ratings
        ("0009", "0008"),  # test conversations
        ("0010", "0009"),  # dossier subscriptions and their notifications
        ("0011", "0010"),  # the citizen's latest platform message id (Zalo replies)
        ("0012", "0011"),  # when an operator took a request
    ]
    names = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("0*.py"))
    assert [n[:4] for n in names] == [f"{i:04d}" for i in range(1, 13)]


def revision_of(database: Database) -> str:
    with database.engine.connect() as connection:
        return str(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one())


def schema_differences(database: Database) -> list[object]:
    with database.engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


def test_the_chain_makes_every_table_as_the_code_declares_it(database: Database) -> None:
    assert set(Base.metadata.tables) <= set(sa.inspect(database.engine).get_table_names())
    assert revision_of(database) == head_revision()
    assert schema_differences(database) == []


def test_no_code_creates_tables_outside_the_chain() -> None:
    callers = []
    for package in ("assistant", "actions", "api", "search_index", "evaluation"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr == "create_all":
                    callers.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert callers == []


# The gateway's view of its conversations: (sender, taken_by, needs_human).
LEGACY_CONVERSATIONS = [
    ("web-1", None, True),  # waiting, with the citizen's request
    ("web-2", None, False),  # handed back, but its request past the 100th stayed open
    ("web-3", "canbo.lan", False),  # taken over; its request not updated
    ("web-4", "canbo.minh", False),  # taken over without a request
    ("web-5", None, True),  # the assistant did not understand, no request
]
# The action server's requests: (conversation, state, operator).
LEGACY_HANDOFFS = [
    ("web-1", "open", None),
    ("web-2", "open", None),
    ("web-3", "open", None),
    ("rasa-only", "claimed", "cb01"),  # a conversation the gateway never saw
    ("web-6", "open", None),  # two active requests of one conversation: only the newest stays
    ("web-6", "open", None),
]


def legacy_handoff(conversation: str, state: str, operator: str | None) -> dict[str, object]:
    return {
        "conversation_id": conversation,
        "channel": "web",
        "sender_id": conversation,
        "reason": "công dân yêu cầu (request_human)",
        "last_message": "cho tôi gặp cán bộ",
        "state": state,
        "operator": operator,
        "created_at": RECEIVED,
        "updated_at": RECEIVED,
    }


def make_legacy_database(url: str) -> Database:
    """The schema and some rows of every table, as the previous code wrote them."""
    dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
    script = (HERE / f"legacy_schema.{dialect}.sql").read_text(encoding="utf-8")
    database = Database(url)
    raw = database.engine.raw_connection()
    try:
        if dialect == "sqlite":
            raw.driver_connection.executescript(script)  # type: ignore[union-attr]
        else:
            with raw.cursor() as cursor:
                cursor.execute(script)
        raw.commit()
    finally:
        raw.close()
    metadata = sa.MetaData()
    metadata.reflect(database.engine)
    rows: dict[str, list[dict[str, object]]] = {
        "dossiers": [
            {
                "code": "H56.14-261120-0001",
                "procedure_code": "1.001193",
                "procedure_name": "Đăng ký khai sinh",
                "agency": "UBND phường Hồng Hà",
                "channel": "trực tiếp",
                "status": 4,
                "received_at": RECEIVED,
                "due_at": None,
                "finished_at": None,
                "applicant_masked": "Nguyễn V** A**",
                "phone_last4_salt": "salt",
                "phone_last4_hash": "hash",
                "updated_at": RECEIVED,
            }
        ],
        "dossier_status_history": [
            {"status": 1, "changed_at": RECEIVED, "note": ""},
            {"status": 4, "changed_at": RECEIVED, "note": ""},
        ],
        "feedback_counters": [{"day": "20261120", "last_value": 1}],
        "feedback": [
            {
                "tracking_number": "PA-20261120-0001",
                "category": "phản ánh",
                "content": "Cán bộ tiếp nhận hồ sơ chậm",
                "contact": None,
                "consent": False,
                "channel": "web",
                "sender_id": "web-1",
                "created_at": RECEIVED,
            }
        ],
        "ratings": [
            {
                "conversation_id": "web-1",
                "channel": "web",
                "score": 4,
                "comment": "",
                "created_at": RECEIVED,
            }
        ],
        "handoff_requests": [
            # (conversation, state, operator) of the requests, in the order the action server made them.
            legacy_handoff(conversation, state, operator)
            for conversation, state, operator in LEGACY_HANDOFFS
        ],
        "api_operators": [
            {
                "name": "canbo.lan",
                "role": "operator",
                "password_hash": hash_password("mat-khau-dai-1"),
                "created_at": RECEIVED,
            }
        ],
        "api_conversations": [
            {
                "sender_id": sender_id,
                "channel": "web",
                "taken_by": taken_by,
                "needs_human": needs_human,
                "last_message_at": RECEIVED,
            }
            for sender_id, taken_by, needs_human in LEGACY_CONVERSATIONS
        ],
        "api_transcript": [
            {
                "sender_id": "web-1",
                "author": "citizen",
                "text": "cho tôi gặp cán bộ",
                "created_at": RECEIVED,
            }
        ],
        "api_outbox": [
            {"sender_id": "web-1", "text": "Chào bạn", "author": "canbo.lan", "created_at": RECEIVED}
        ],
        "api_chat_events": [
            {
                "sender_id": "web-1",
                "channel": "web",
                "text": "cho tôi gặp cán bộ",
                "intent": "request_human",
                "confidence": 0.98,
                "procedure_code": None,
                "procedure_name": None,
                "fallback": False,
                "degraded": False,
                "created_at": RECEIVED,
            }
        ],
    }
    history = rows.pop("dossier_status_history")
    with database.engine.begin() as connection:
        for table, values in rows.items():
            connection.execute(metadata.tables[table].insert(), values)
        dossier_id = connection.execute(sa.text("SELECT id FROM dossiers")).scalar_one()
        connection.execute(
            metadata.tables["dossier_status_history"].insert(),
            [{**h, "dossier_id": dossier_id} for h in history],
        )
    return database


def test_a_database_of_the_previous_code_upgrades_in_place(database_url: str) -> None:
    database = make_legacy_database(database_url)
    try:
        assert revision_of(database) == "0001"
        database.ensure_schema()
        assert revision_of(database) == head_revision()
        assert schema_differences(database) == []

        record = SqlDossierStore(database, phone_hash_secret="x").lookup("H56.14-261120-0001")
        assert record is not None and record.procedure_name == "Đăng ký khai sinh"
        assert len(SqlDossierStore(database, phone_hash_secret="x").history("H56.14-261120-0001")) == 2
        feedback = FeedbackStore(database)
        kept = feedback.get("PA-20261120-0001")
        # Feedback from before its handling was recorded: received since it came in, nothing assigned.
        assert kept is not None and kept.status is FeedbackStatus.RECEIVED
        assert kept.status_changed_at == kept.created_at and kept.agency is None and kept.answer is None
        assert [r.score for r in feedback.ratings("web-1")] == [4]
        assert OperatorAccounts(database).authenticate("canbo.lan", "mat-khau-dai-1") is Role.OPERATOR
        conversations = ConversationStore(database)
        assert [line.text for line in conversations.history("web-1")] == ["cho tôi gặp cán bộ"]
        assert [m.text for m in conversations.outbox_after("web-1", 0)] == ["Chào bạn"]
        assert conversations.intent_counts() == {"request_human": 1}
        # New rows take the next ids: the sequences and autoincrements came through.
        assert conversations.add_outbox("web-1", "Bạn chờ một chút", "canbo.lan") == 2

        # Who answers each conversation now has one truth, the gateway's view where it had one.
        handoffs = HandoffStore(database)
        active = {
            h.conversation_id: (h.state.value, h.operator, h.origin.value)
            for h in handoffs.waiting_or_taken()
        }
        assert active == {
            "web-1": ("open", None, "citizen"),
            "web-3": ("claimed", "canbo.lan", "citizen"),
            "web-4": ("claimed", "canbo.minh", "operator"),
            "web-5": ("open", None, "assistant"),
            "rasa-only": ("claimed", "cb01", "citizen"),
            "web-6": ("open", None, "citizen"),
        }
        assert handoffs.active("web-2") is None
        assert not any(h.after_hours for h in handoffs.waiting_or_taken())
        with database.engine.connect() as connection:
            newest = connection.execute(
                sa.text("SELECT MAX(id) FROM handoff_requests WHERE conversation_id = 'web-6'")
            ).scalar_one()
        web_6 = handoffs.active("web-6")
        assert web_6 is not None and web_6.id == newest
        assert handoffs.citizen_requests() == len(LEGACY_HANDOFFS)
        columns = {c["name"] for c in sa.inspect(database.engine).get_columns("api_conversations")}
        assert columns == {
            "sender_id",
            "channel",
            "last_message_at",
            "secret_hash",
            "is_test",
            "last_message_ref",
        }
        # 0004/0005: an older conversation gets its secret on its next message; accounts start unlocked.
        assert conversations.secret_matches("web-1", "anything") is False
        secret = conversations.issue_secret("web-1", "web")
        assert secret is not None and conversations.secret_matches("web-1", secret)
        session_id, _ = OperatorAccounts(database).open_session("canbo.lan", 60)
        assert OperatorAccounts(database).live_session("canbo.lan", session_id) is not None
        # 0007–0009 (feedback handling, dossier-handling ratings, test conversations): none marked a test.
        assert conversations.get("web-1") is not None
        # 0010: nobody subscribed to a dossier.
        assert SubscriptionStore(database).active("web-1") == []
        # 0011: no message id to reply to yet.
        assert conversations.get("web-1").last_message_ref is None  # type: ignore[union-attr]
        # 0012: no wait known of the requests taken before.
        assert handoffs.waits_by_day() == []
    finally:
        database.dispose()
