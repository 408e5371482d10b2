"""The training data and the files generated from the catalogue: complete, current, never the eval sets."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.core.constants import DEFAULT_INTENTS
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.loading import load_data

from bot.generate_lookups import PHONE_NUMBER_PATTERN, generated_files, stale_files
from vntext import DOSSIER_CODE_PATTERN, has_diacritics

REPO = Path(__file__).resolve().parents[2]
CONTRACT_INTENTS = [
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "out_of_scope", "request_human",
    "ask_documents", "ask_fee", "ask_processing_time", "ask_where_to_submit", "ask_procedure_steps",
    "ask_online_service", "ask_conditions", "ask_legal_basis", "ask_forms",
    "check_dossier_status", "submit_feedback", "inform",
]  # fmt: skip
ASPECT_INTENTS = [intent for intent in CONTRACT_INTENTS if intent.startswith("ask_")]
# Ours beyond the contract: "phản ánh PA-… đến đâu rồi" asks about a feedback already sent;
# "báo cho tôi khi hồ sơ có kết quả" / "hủy theo dõi" start and stop a dossier's status notifications.
NOTIFICATION_INTENTS = ["subscribe_dossier", "unsubscribe_dossier"]
OWN_INTENTS = ["check_feedback_status", *NOTIFICATION_INTENTS]


@pytest.fixture(scope="module")
def training_data():  # type: ignore[no-untyped-def]
    return load_data(str(REPO / "nlu_data"))


def _shared_dir() -> Path:
    return Path(os.environ.get("SHARED_DATA_DIR", REPO.parent / "shared"))


def test_domain_has_exactly_the_contract_intents() -> None:
    domain = Domain.load(str(REPO / "bot" / "domain.yml"))
    # Rasa lists out_of_scope among its default intents; ours is declared and trained all the same.
    ours = set(domain.intents) - set(DEFAULT_INTENTS)
    assert ours == set(CONTRACT_INTENTS + OWN_INTENTS) - {"out_of_scope"} and "out_of_scope" in domain.intents
    assert {"dossier_code", "procedure", "location", "phone_number", "rating"} <= set(domain.entities)


def test_every_intent_has_enough_varied_examples(training_data) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(example.get("intent") for example in training_data.intent_examples)
    for intent in CONTRACT_INTENTS + NOTIFICATION_INTENTS:
        assert counts[intent] >= 40, intent
    for intent in ASPECT_INTENTS:
        assert counts[intent] >= 55, intent


def test_a_third_of_each_intent_is_written_without_diacritics(training_data) -> None:  # type: ignore[no-untyped-def]
    by_intent: dict[str, list[str]] = {}
    for example in training_data.intent_examples:
        by_intent.setdefault(example.get("intent"), []).append(example.get("text"))
    for intent, texts in by_intent.items():
        plain = [text for text in texts if not has_diacritics(text)]
        assert len(plain) * 3 >= len(texts), intent


def test_no_training_example_is_copied_from_the_evaluation_sets(training_data) -> None:  # type: ignore[no-untyped-def]
    eval_dir = _shared_dir() / "eval"
    if not eval_dir.is_dir():
        pytest.fail(f"shared eval data not found at {eval_dir} (set SHARED_DATA_DIR)")
    eval_texts = set()
    for path in eval_dir.glob("*.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            eval_texts.add(line.split("\t", 1)[-1].strip().lower())
    train_texts = {example.get("text").strip().lower() for example in training_data.intent_examples}
    assert not train_texts & eval_texts


def test_our_nlu_check_file_is_held_out_from_training(training_data) -> None:  # type: ignore[no-untyped-def]
    lines = (REPO / "bot" / "tests" / "nlu_check.tsv").read_text(encoding="utf-8").splitlines()[1:]
    check_texts = {line.split("\t", 1)[1].strip().lower() for line in lines}
    train_texts = {example.get("text").strip().lower() for example in training_data.intent_examples}
    assert not check_texts & train_texts


def test_generated_lookups_and_regexes_are_current() -> None:
    stale = stale_files(generated_files())
    assert not stale, f"run .venv-rasa/bin/python -m bot.generate_lookups ({stale})"


def test_dossier_code_regex_is_vntext_pattern(training_data) -> None:  # type: ignore[no-untyped-def]
    patterns = {item["name"]: item["pattern"] for item in training_data.regex_features}
    assert patterns["dossier_code"] == DOSSIER_CODE_PATTERN
    assert patterns["phone_number"] == PHONE_NUMBER_PATTERN


@pytest.mark.parametrize("text", ["0912345678", "0912 345 678", "+84912345678", "0243.826.1234"])
def test_phone_number_regex_finds_vietnamese_numbers(text: str) -> None:
    assert re.search(PHONE_NUMBER_PATTERN, f"số tôi là {text} nhé")


@pytest.mark.parametrize("text", ["H56.14-240823-0001", "1.001193", "50.000 đồng"])
def test_phone_number_regex_ignores_codes_and_amounts(text: str) -> None:
    assert not re.search(PHONE_NUMBER_PATTERN, text)


def test_procedure_lookup_holds_catalogue_names_with_and_without_diacritics(training_data) -> None:  # type: ignore[no-untyped-def]
    lookup = next(table for table in training_data.lookup_tables if table["name"] == "procedure")
    entries = set(lookup["elements"])
    assert {"đăng ký khai sinh", "dang ky khai sinh", "nhập hộ khẩu", "nhap ho khau"} <= entries
