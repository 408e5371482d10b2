"""The Vietnamese tokenizer: comparable tokens whatever the spelling, offsets in the text as typed."""

from __future__ import annotations

import unicodedata

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.vietnamese_tokenizer import VietnameseTokenizer


def _tokenizer(**config: object) -> VietnameseTokenizer:
    return VietnameseTokenizer({**VietnameseTokenizer.get_default_config(), **config})


def _tokens(text: str, **config: object) -> list[Token]:
    return _tokenizer(**config).tokenize(Message.build(text=text), TEXT)


def _covered(text: str) -> list[str]:
    return [text[token.start : token.end] for token in _tokens(text)]


def test_words_of_several_syllables_stay_one_token() -> None:
    assert [t.text for t in _tokens("Đăng ký khai sinh cần giấy tờ gì?")] == [
        "đăng_ký",
        "khai_sinh",
        "cần",
        "giấy_tờ",
        "gì",
    ]


def test_lemmas_match_between_text_with_and_without_diacritics() -> None:
    with_marks = [t.lemma for t in _tokens("lệ phí cấp hộ chiếu")]
    without_marks = [t.lemma for t in _tokens("le phi cap ho chieu")]
    assert " ".join(with_marks) == " ".join(without_marks) == "le phi cap ho chieu"


def test_old_and_new_tone_placement_give_the_same_tokens() -> None:
    assert [t.text for t in _tokens("hoà giải ở uỷ ban")] == [t.text for t in _tokens("hòa giải ở ủy ban")]


def test_abbreviations_are_expanded_but_point_at_what_was_typed() -> None:
    text = "đổi CCCD hết bn tiền"
    tokens = _tokens(text)
    assert [t.text for t in tokens] == ["đổi", "căn_cước", "hết", "bao_nhiêu", "tiền"]
    assert [text[t.start : t.end] for t in tokens] == ["đổi", "CCCD", "hết", "bn", "tiền"]


def test_everyday_name_expanding_to_several_words_maps_each_word_to_the_whole_name() -> None:
    text = "Sổ đỏ cần j"
    tokens = _tokens(text)
    land_words = [t for t in tokens if text[t.start : t.end] == "Sổ đỏ"]
    assert [t.text for t in land_words][:3] == ["giấy", "chứng_nhận", "quyền"]
    assert text[tokens[-1].start : tokens[-1].end] == "j" and tokens[-1].text == "gì"


def test_chat_shorthand_next_to_each_other_maps_word_by_word() -> None:
    text = "e ko bt dc k"
    assert _covered(text) == ["e", "ko", "bt", "dc", "k"]


@pytest.mark.parametrize(
    "code",
    ["000.00.06.H56-231027-0361", "H56.14-240823-0001", "38.98.H29-210519-0013", "g22.12 - 250410 - 0105"],
)
def test_dossier_codes_stay_whole(code: str) -> None:
    text = f"hồ sơ {code} xong chưa"
    assert code in _covered(text)


def test_phone_numbers_stay_whole() -> None:
    assert "0912 345 678" in _covered("số của tôi 0912 345 678 nhé")


def test_offsets_point_into_decomposed_input() -> None:
    text = unicodedata.normalize("NFD", "Đăng ký kết hôn ở đâu")
    tokens = _tokens(text)
    assert [t.text for t in tokens][:2] == ["đăng_ký", "kết_hôn"]
    assert unicodedata.normalize("NFC", text[tokens[0].start : tokens[0].end]) == "Đăng ký"


def test_extra_spaces_and_punctuation_do_not_make_tokens() -> None:
    text = "  xin   chào ,  bạn !! "
    assert _covered(text) == ["xin", "chào", "bạn"]


def test_emoji_only_message_is_one_token() -> None:
    tokens = _tokens("😀👍")
    assert len(tokens) == 1 and (tokens[0].start, tokens[0].end) == (0, 2)


def test_empty_message_has_no_tokens() -> None:
    assert _tokens("") == []


def test_accent_stripped_text_option() -> None:
    assert [t.text for t in _tokens("Đăng ký khai sinh", strip_accents_in_text=True)] == [
        "dang_ky",
        "khai_sinh",
    ]


def test_very_long_message_is_tokenized() -> None:
    text = "cho em hỏi làm căn cước cần giấy tờ gì ạ " * 120
    tokens = _tokens(text[:5000])
    assert tokens and all(0 <= t.start < t.end <= 5000 for t in tokens)


def test_training_data_gets_tokens_on_every_example() -> None:
    data = TrainingData([Message.build(text="đổi bằng lái ở đâu", intent="ask_where_to_submit")])
    _tokenizer().process_training_data(data)
    tokens = data.training_examples[0].get("text_tokens")
    assert tokens[0].lemma == "doi" and [t.text for t in tokens][-2:] == ["ở", "đâu"]
    assert {"đổi bằng lái ở đâu"[t.start : t.end] for t in tokens} == {"đổi", "bằng", "lái", "ở", "đâu"}


def test_registered_as_a_rasa_tokenizer() -> None:
    registered = DefaultV1Recipe._registered_components[VietnameseTokenizer.__name__]
    assert DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER in registered.types
    assert registered.is_trainable is False
