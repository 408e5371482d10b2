"""The procedure-name masker: a procedure's name becomes one placeholder token, the question words stay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.procedure_masker import NameMatcher, ProcedureNameMasker, mask_tokens, procedure_names
from bot.components.vietnamese_tokenizer import VietnameseTokenizer

PLACEHOLDER = ProcedureNameMasker.get_default_config()["placeholder"]
TOKENIZER = VietnameseTokenizer({**VietnameseTokenizer.get_default_config(), "strip_accents_in_text": True})


def _masked(text: str, names: tuple[str, ...] = (), **options: Any) -> list[str]:
    tokens = TOKENIZER.tokenize(Message.build(text=text), TEXT)
    matcher = NameMatcher(names, **options)
    return [token.text for token in mask_tokens(text, tokens, matcher.spans(text, tokens), PLACEHOLDER)]


def _masked_names(text: str, names: tuple[str, ...] = ()) -> list[str]:
    """What the placeholders cover in the text as typed."""
    tokens = TOKENIZER.tokenize(Message.build(text=text), TEXT)
    masked = mask_tokens(text, tokens, NameMatcher(names).spans(text, tokens), PLACEHOLDER)
    return [text[token.start : token.end] for token in masked if token.text == PLACEHOLDER]


def test_a_long_name_after_thu_tuc_is_one_placeholder_and_the_question_stays() -> None:
    text = (
        "Kính gửi Quý cơ quan, cho tôi hỏi lệ phí thực hiện thủ tục Cấp giấy phép khai thác nước dưới "
        "đất đối với công trình có quy mô dưới 5.000 m3/ngày đêm được quy định như thế nào?"
    )
    assert _masked_names(text) == [
        "Cấp giấy phép khai thác nước dưới đất đối với công trình có quy mô dưới 5.000 m3/ngày đêm"
    ]
    words = _masked(text)
    assert words.count(PLACEHOLDER) == 1
    assert {"le_phi", "thu_tuc", "nhu_the_nao"} <= set(words) and "khai_thac" not in words


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Xin hỏi căn cứ pháp lý của thủ tục Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ bảo vệ?",
            "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dịch vụ bảo vệ",
        ),
        (
            "Thủ tục Khai phí bảo vệ môi trường đối với nước thải có phải nộp hồ sơ giấy không",
            "Khai phí bảo vệ môi trường đối với nước thải",
        ),
        (
            "Thủ tục Gia hạn, điều chỉnh giấy phép khai thác nước mặt thì nộp tại cơ quan nào?",
            "Gia hạn, điều chỉnh giấy phép khai thác nước mặt",
        ),
        (
            "Nơi tiếp nhận hồ sơ của thủ tục Thông báo tạm ngừng kinh doanh là ở đâu?",
            "Thông báo tạm ngừng kinh doanh",
        ),
        (
            "thu tuc cap lai giay phep ve sinh thuc pham la bao nhieu tien",
            "cap lai giay phep ve sinh thuc pham",
        ),
    ],
)
def test_words_inside_the_name_are_masked_and_the_cue_ends_it(text: str, name: str) -> None:
    assert _masked_names(text) == [name]


def test_a_capitalised_name_in_mid_sentence_of_a_long_message_is_masked() -> None:
    text = "Kính gửi Quý cơ quan, điều kiện để được cấp Chứng chỉ hành nghề thú y là gì?"
    assert _masked_names(text) == ["Chứng chỉ hành nghề thú y"]


@pytest.mark.parametrize("text", ["thủ tục này cần giấy tờ gì", "thu tuc do mat bao lau", "thủ tục gì vậy"])
def test_thu_tuc_followed_by_a_reference_names_nothing(text: str) -> None:
    assert PLACEHOLDER not in _masked(text)


def test_known_names_are_found_without_diacritics_and_the_longest_wins() -> None:
    names = ("đăng ký khai sinh", "đăng ký khai sinh kết hợp nhận cha", "đăng ký")
    assert _masked_names("dang ky khai sinh ket hop nhan cha can gi", names) == [
        "dang ky khai sinh ket hop nhan cha"
    ]
    assert _masked("lệ phí đăng ký khai sinh", names) == ["le_phi", PLACEHOLDER]


def test_a_generic_known_name_masks_nothing() -> None:
    assert PLACEHOLDER not in _masked("đăng ký cần gì", ("đăng ký", "cấp lại"))


def test_a_token_partly_inside_a_name_keeps_its_outside_syllables() -> None:
    # Without diacritics underthesea may glue the cue to the name ("phi_dang"); the cue must survive.
    text = "le phi dang ky thuong tru nop online la bao nhieu"
    words = _masked(text, ("đăng ký thường trú",))
    assert PLACEHOLDER in words and "phi" in " ".join(words).replace(PLACEHOLDER, "")


def test_disabled_sources_find_nothing() -> None:
    text = "Thủ tục Cấp giấy phép khai thác khoáng sản có thu phí không"
    assert PLACEHOLDER not in _masked(text, use_introducers=False, use_capitals=False)


def _component(tmp_path: Path, **config: Any) -> ProcedureNameMasker:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("masker")
    context = ExecutionContext(graph_schema=None, model_id="test")  # type: ignore[arg-type]
    return ProcedureNameMasker.create(
        {**ProcedureNameMasker.get_default_config(), **config}, storage, resource, context
    )


def _training_data() -> TrainingData:
    example = Message.build(
        text="lam so do can gi",
        intent="ask_documents",
        entities=[{"start": 0, "end": 9, "value": "cấp giấy chứng nhận", "entity": "procedure"}],
    )
    return TrainingData(
        training_examples=[example],
        lookup_tables=[{"name": "procedure", "elements": ["cấp hộ chiếu phổ thông"]}],
        entity_synonyms={"làm sổ đỏ": "cấp giấy chứng nhận"},
    )


def test_names_come_from_the_lookup_table_annotations_and_synonyms() -> None:
    assert procedure_names(_training_data(), "procedure") == {
        "cấp hộ chiếu phổ thông",
        "lam so do",
        "cấp giấy chứng nhận",
        "làm sổ đỏ",
    }


def test_trained_names_are_persisted_and_used_after_loading(tmp_path: Path) -> None:
    masker = _component(tmp_path)
    resource = masker.train(_training_data())
    loaded = ProcedureNameMasker.load(
        ProcedureNameMasker.get_default_config(),
        LocalModelStorage(tmp_path),
        resource,
        ExecutionContext(graph_schema=None, model_id="test"),  # type: ignore[arg-type]
    )
    text = "le phi cap ho chieu pho thong"
    message = Message.build(text=text)
    TOKENIZER.process([message])
    loaded.process([message])
    words = [token.text for token in message.get(TOKENS_NAMES[TEXT])]
    assert words[-1] == PLACEHOLDER and "phi" in " ".join(words[:-1]).replace("_", " ").split()
    assert message.get(TEXT) == text  # the text, read by the entity extractors, is untouched


def test_training_examples_are_masked_and_short_messages_can_be_left_alone(tmp_path: Path) -> None:
    long_text = "Xin hỏi thủ tục Cấp giấy phép khai thác khoáng sản thu lệ phí bao nhiêu"
    data = TrainingData(training_examples=[Message.build(text=long_text, intent="ask_fee")])
    TOKENIZER.process_training_data(data)
    _component(tmp_path).process_training_data(data)
    assert PLACEHOLDER in [token.text for token in data.training_examples[0].get(TOKENS_NAMES[TEXT])]

    short = Message.build(text="thủ tục cấp phép khai thác cát")
    TOKENIZER.process([short])
    _component(tmp_path, min_words=8).process([short])
    assert PLACEHOLDER not in [token.text for token in short.get(TOKENS_NAMES[TEXT])]


def test_registered_as_a_rasa_featurizer_that_needs_a_tokenizer() -> None:
    registered = DefaultV1Recipe._registered_components[ProcedureNameMasker.__name__]
    assert registered.clazz is ProcedureNameMasker and registered.is_trainable
    assert DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER in registered.types
