"""Which procedure a citizen means, through the real search over real catalogue records.

The index holds the national records of civil status, criminal records, land and businesses (with every
variant of birth registration, both first land certificates, all four criminal-record certificates, a
company's and a household business's suspension), embedded by the real e5 model. ``find`` answers a
message alone; ``resolve_procedure`` adds the conversation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.procedures.lookup import Clarify, Found, NotFound, find, resolve_procedure, says_its_words
from assistant.procedures.payloads import choice_payload, chosen_code
from assistant.settings import Settings
from search_index.catalogue_files import load_catalogue
from search_index.families import fold
from search_index.service import SearchService
from search_index.settings import BASE_MODEL_DIR, SearchSettings, real_catalogue_file

pytestmark = pytest.mark.slow

FIELDS = {
    "Hộ tịch",
    "Lý lịch tư pháp",
    "Đất đai",
    "Thành lập và hoạt động của doanh nghiệp",
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
}
MARGIN = Settings.model_fields["ambiguity_margin"].default


@pytest.fixture(scope="module")
def finder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchService]:
    if not (BASE_MODEL_DIR / "modules.json").is_file():
        pytest.skip("the e5 model is built by `make embeddings`")
    folder: Path = tmp_path_factory.mktemp("lookup")
    settings = SearchSettings(
        QDRANT_PATH=folder / "qdrant",
        QDRANT_URL=None,
        EMBEDDING_MODEL_DIR=BASE_MODEL_DIR,
        EMBEDDING_CACHE_PATH=folder / "embeddings.sqlite",
    )
    service = SearchService.from_settings(settings)
    service.sync(p for p in load_catalogue(real_catalogue_file()).procedures if p.field in FIELDS)
    yield service
    service.close()


def found_code(finder: SearchService, text: str) -> str:
    finding = find(finder, text, ambiguity_margin=MARGIN)
    assert isinstance(finding, Found), finding
    return finding.procedure.code


def code_in_conversation(finder: SearchService, text: str, current: str) -> str:
    """The procedure the message means in a conversation about ``current``."""
    resolution = resolve_procedure(
        finder, chosen_code=None, text=text, conversation_code=current, ambiguity_margin=MARGIN
    )
    assert isinstance(resolution, Found), resolution
    return resolution.procedure.code


@pytest.mark.parametrize(
    "text",
    ["đăng ký khai sinh cho con mới sinh", "dang ky khai sinh cho con", "làm giấy khai sinh cần giấy tờ gì"],
)
def test_birth_registration_is_the_plain_procedure_not_a_variant(finder: SearchService, text: str) -> None:
    assert found_code(finder, text) == "1.001193"


def test_a_foreign_parent_selects_the_foreign_element_variant(finder: SearchService) -> None:
    assert found_code(finder, "đăng ký khai sinh cho con, chồng tôi là người Hàn Quốc") == "2.000528"


def test_a_procedure_named_in_a_conversation_is_the_nearest_the_current_one(finder: SearchService) -> None:
    # Suspending a business: a company's, a household business's and a science organisation's are
    # about as likely; after the household business's registration, it is the household's.
    for text in ("thế còn tạm ngừng kinh doanh thì sao", "con tam ngung kinh doanh thi sao"):
        assert code_in_conversation(finder, text, current="1.001612") == "1.001570"


def test_recognising_a_father_alone_is_no_birth_registration(finder: SearchService) -> None:
    for text in (
        "nhận cha cho con khi bố đã mất",
        "con đã có giấy khai sinh nhưng bỏ trống phần cha, bố cháu muốn nhận con",
    ):
        assert found_code(finder, text) == "1.001022"


def test_another_action_said_alone_is_that_action_on_the_same_paper(finder: SearchService) -> None:
    # After exchanging a land certificate, "còn cấp lại thì sao" asks for a lost one to be replaced.
    replaced = code_in_conversation(finder, "the con cap lai thi sao", current="1.012783")
    assert fold(finder.get(replaced).name).startswith("cap lai giay chung nhan")
    assert code_in_conversation(finder, "còn tạm ngừng thì sao", current="1.001612") == "1.001570"


def test_a_citizens_business_is_the_household_business_not_a_company(finder: SearchService) -> None:
    # Enterprise procedures list "Công dân Việt Nam" among applicants too: their names tell them apart.
    assert found_code(finder, "thay doi nganh nghe kinh doanh cua ho kinh doanh") == "2.000720"
    assert found_code(finder, "công ty tôi muốn tạm ngừng kinh doanh 6 tháng") == "2.002029"


def test_the_first_land_certificate_of_a_household_not_of_organisations(finder: SearchService) -> None:
    assert found_code(finder, "xin cấp sổ đỏ lần đầu cho đất nhà tôi") == "1.013978"
    assert found_code(finder, "công ty tôi đang sử dụng đất, muốn xin cấp sổ đỏ lần đầu") == "1.012753"


def test_the_citizens_own_criminal_record_certificate(finder: SearchService) -> None:
    assert found_code(finder, "lý lịch tư pháp") == "3.000333"


def test_a_clerks_question_when_the_applicant_stays_open(finder: SearchService) -> None:
    finding = find(
        finder, "đơn vị chúng tôi xin cấp giấy chứng nhận quyền sử dụng đất lần đầu", ambiguity_margin=MARGIN
    )
    assert isinstance(finding, Clarify)
    assert finding.question == "Bạn đăng ký cho hộ gia đình/cá nhân hay cho tổ chức?"
    assert dict(finding.options) == {"Hộ gia đình, cá nhân": "1.013978", "Cho tổ chức": "1.012753"}


def test_the_clerks_question_answered_in_words_chooses_that_procedure(finder: SearchService) -> None:
    resolution = resolve_procedure(
        finder,
        chosen_code=None,
        text="cho công ty của tôi",
        conversation_code=None,
        ambiguity_margin=MARGIN,
        offered=["1.013978", "1.012753"],
    )
    assert isinstance(resolution, Found) and resolution.procedure.code == "1.012753"


def test_a_tapped_answer_to_the_question_chooses_that_procedure(finder: SearchService) -> None:
    tapped = choice_payload("1.012753")
    resolution = resolve_procedure(
        finder,
        chosen_code=chosen_code(tapped),
        text=tapped,
        conversation_code=None,
        ambiguity_margin=MARGIN,
    )
    assert isinstance(resolution, Found) and resolution.procedure.code == "1.012753"


@pytest.mark.parametrize("text", ["còn lệ phí thì sao?", "mat bao lau", "nộp ở đâu"])
def test_a_follow_up_without_a_procedure_keeps_the_conversations(finder: SearchService, text: str) -> None:
    assert code_in_conversation(finder, text, "1.001193") == "1.001193"


@pytest.mark.parametrize("text", ["vợ mình là người Hàn Quốc thì sao", "chong toi nguoi trung quoc"])
def test_a_follow_up_that_states_a_variants_feature_moves_to_that_variant(
    finder: SearchService, text: str
) -> None:
    # After "đăng ký kết hôn", the spouse's nationality is the feature of the foreign-element variant.
    assert code_in_conversation(finder, text, "1.000894") == "2.000806"


def test_a_follow_up_that_names_another_procedure_leaves_the_family(finder: SearchService) -> None:
    assert (
        code_in_conversation(finder, "còn đăng ký khai sinh cho con, chồng tôi người Hàn thì sao", "1.000894")
        == "2.000528"
    )


def test_a_best_guess_names_the_other_candidates_as_alternatives(finder: SearchService) -> None:
    # A lead smaller than the margin (here: any lead) is a guess: the others are offered beside it.
    finding = find(finder, "đăng ký kết hôn", ambiguity_margin=2.0)
    assert isinstance(finding, Found) and finding.procedure.code == "1.000894"
    assert finding.alternatives and all(p.code != "1.000894" for p in finding.alternatives)


def test_a_clear_lead_is_answered_alone(finder: SearchService) -> None:
    finding = find(finder, "đăng ký kết hôn", ambiguity_margin=MARGIN)
    assert isinstance(finding, Found) and finding.procedure.code == "1.000894"
    assert finding.alternatives == ()


@pytest.mark.parametrize("text", ["giá vàng hôm nay bao nhiêu một chỉ", "cho mình hỏi đường đến chợ huyện"])
def test_a_question_no_procedure_answers_is_not_found(finder: SearchService, text: str) -> None:
    assert isinstance(find(finder, text, ambiguity_margin=MARGIN), NotFound)


def test_in_a_conversation_a_message_that_fits_nothing_stays_on_the_procedure(finder: SearchService) -> None:
    assert code_in_conversation(finder, "thế còn giá vàng hôm nay thì sao", "1.001193") == "1.001193"


def test_a_procedure_reached_through_an_everyday_name_is_found_but_not_said(finder: SearchService) -> None:
    assert found_code(finder, "bé nhà mình 5 tuổi, muốn đổi tên khác cho bé thì làm ở đâu") == "1.004859"
    correction = finder.get("1.004859")
    assert correction is not None
    assert not says_its_words("muốn đổi tên khác cho bé", correction)
    assert says_its_words("cải chính hộ tịch cho con", correction)
