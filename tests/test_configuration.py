"""One configuration story: each of the three settings models reads the environment and a `.env` file in
the working directory, the environment winning."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import ApiSettings
from assistant.settings import Settings
from search_index.settings import SearchSettings


@pytest.fixture
def env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("HOTLINE", "DATABASE_URL", "RASA_URL", "QDRANT_COLLECTION", "QDRANT_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / ".env"
    path.write_text(
        "HOTLINE=02363822111\nDATABASE_URL=sqlite:///tinh.db\nRASA_URL=http://rasa.tinh:5005\n"
        "QDRANT_COLLECTION=thu_tuc_tinh\nQDRANT_PATH=/srv/qdrant\n",
        encoding="utf-8",
    )
    return path


def test_every_model_reads_the_env_file(env_file: Path) -> None:
    assert Settings().hotline == "02363822111"
    assert Settings().database_url == "sqlite:///tinh.db"
    assert ApiSettings().rasa_url == "http://rasa.tinh:5005"
    search = SearchSettings()
    assert search.qdrant_collection == "thu_tuc_tinh"
    assert search.qdrant_path == Path("/srv/qdrant")


def test_the_environment_wins_over_the_env_file(env_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTLINE", "18001096")
    monkeypatch.setenv("QDRANT_COLLECTION", "procedures")
    assert Settings().hotline == "18001096"
    assert SearchSettings().qdrant_collection == "procedures"


def test_production_refuses_to_start_with_development_secrets(tmp_path: Path) -> None:
    # Issue 13, finding 9: the default PHONE_HASH_SECRET was used without a word, and each process made
    # its own random session key.
    from api.main import create_app
    from assistant.settings import UnsafeConfiguration

    domain = {"database_url": f"sqlite:///{tmp_path / 'a.db'}", "deployment": "production"}
    with pytest.raises(UnsafeConfiguration, match=r"OPERATOR_SESSION_SECRET.*PHONE_HASH_SECRET"):
        create_app(ApiSettings(), Settings(**domain))  # type: ignore[arg-type]
    with pytest.raises(UnsafeConfiguration, match="OPERATOR_SESSION_SECRET"):
        create_app(ApiSettings(), Settings(**domain, phone_hash_secret="a-real-secret"))  # type: ignore[arg-type]
    create_app(
        ApiSettings(operator_session_secret="a-real-key"),
        Settings(**domain, phone_hash_secret="a-real-secret"),  # type: ignore[arg-type]
    )


def test_development_warns_about_the_same_defaults(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from api.main import create_app

    create_app(ApiSettings(), Settings(database_url=f"sqlite:///{tmp_path / 'a.db'}"))
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("PHONE_HASH_SECRET" in w for w in warned)
    assert any("OPERATOR_SESSION_SECRET" in w for w in warned)


def test_the_action_server_refuses_them_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from actions import runtime
    from assistant.settings import UnsafeConfiguration, get_settings

    monkeypatch.setenv("DEPLOYMENT", "production")
    monkeypatch.delenv("PHONE_HASH_SECRET", raising=False)
    monkeypatch.setattr(runtime, "_services", None)
    get_settings.cache_clear()
    try:
        with pytest.raises(UnsafeConfiguration, match="PHONE_HASH_SECRET"):
            runtime.get_services()
    finally:
        get_settings.cache_clear()
