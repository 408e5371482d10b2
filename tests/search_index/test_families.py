"""Procedure families, built from the real national catalogue by the rules of search_index.families.

No model is needed: the families follow from the names, the choice of a member from the message.
A search's ranking is stood in for by the order in which the catalogue lists the records, or by an
order that puts the variants first (what the search did before families existed).
"""

from __future__ import annotations

import pytest

from search_index.catalogue import Level, Procedure
from search_index.families import (
    FamilyIndex,
    Qualifier,
    action_words,
    cues,
    family_key,
    for_enterprises,
    organisations_only,
    qualifiers_of,
    unsaid_action,
    unsaid_in,
)

SERVED = frozenset({Level.PROVINCE, Level.COMMUNE})
BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh
BIRTH_VARIANTS = {
    "1.000110": {Qualifier.FOREIGN, Qualifier.BORDER},
    "1.000689": {Qualifier.COMBINED},
    "1.000893": {Qualifier.FOREIGN, Qualifier.HAS_PAPERS},
    "1.001695": {Qualifier.COMBINED, Qualifier.FOREIGN},
    "1.003583": {Qualifier.MOBILE},
    "1.004772": {Qualifier.HAS_PAPERS},
    "2.000528": {Qualifier.FOREIGN},
    "1.004884": {Qualifier.AGAIN},  # đăng ký lại khai sinh: the register was lost
    "2.000522": {Qualifier.AGAIN, Qualifier.FOREIGN},
}


@pytest.fixture(scope="module")
def families(real_procedures: list[Procedure]) -> FamilyIndex:
    return FamilyIndex.build((p.code, p.name, p.levels, p.applicants) for p in real_procedures)


def choose(families: FamilyIndex, message: str, ranked: list[str]) -> str:
    """The first procedure after grouping a search's ranking by family."""
    return families.regroup(ranked, message, SERVED)[0]


def variants_first(families: FamilyIndex, code: str) -> list[str]:
    return sorted((m.code for m in families.family_of(code)), key=lambda c: c == code)


def test_the_birth_registration_family_is_the_plain_record_and_its_variants(families: FamilyIndex) -> None:
    members = {m.code: set(m.qualifiers) for m in families.family_of(BIRTH)}
    assert members == {BIRTH: set(), **BIRTH_VARIANTS}
    # A copy of the certificate is another need, not a variant.
    assert "2.000635" not in members


def test_a_procedure_without_variants_is_a_family_of_one(families: FamilyIndex) -> None:
    # Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh
    assert [m.code for m in families.family_of("2.000635")] == ["2.000635"]


def test_level_duplicates_are_one_family_without_qualifiers(families: FamilyIndex) -> None:
    passport = {m.code for m in families.family_of("1.001456")}
    assert passport == {"1.001456", "1.001471"}  # (thực hiện tại cấp tỉnh) / (… cấp trung ương)
    assert qualifiers_of("Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)") == frozenset()


def test_names_are_compared_without_accents_case_or_the_word_thu_tuc() -> None:
    assert (
        family_key("Thủ tục đăng ký kết hôn lưu động") == family_key("Đăng ký kết hôn") == "dang ky ket hon"
    )


def test_applicants_that_are_all_organisations_mark_the_record(real_procedures: list[Procedure]) -> None:
    by_code = {p.code: p for p in real_procedures}
    assert organisations_only(by_code["1.013823"].applicants)  # land use change, provincial
    assert not organisations_only(by_code["1.013949"].applicants)  # the commune's, for households


@pytest.mark.parametrize(
    "message",
    [
        "đăng ký khai sinh cho con mới sinh",
        "làm giấy khai sinh cho con cần giấy tờ gì",
        "dang ky khai sinh cho be",
        "Kính gửi Quý cơ quan, vợ tôi vừa sinh con, xin hỏi thủ tục đăng ký khai sinh gồm những gì?",
    ],
)
def test_the_plain_member_wins_when_the_message_names_no_variant(families: FamilyIndex, message: str) -> None:
    assert choose(families, message, variants_first(families, BIRTH)) == BIRTH


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("đăng ký khai sinh cho con, chồng tôi là người Hàn Quốc", "2.000528"),
        ("khai sinh co yeu to nuoc ngoai", "2.000528"),
        ("cán bộ xã có xuống tận nhà đăng ký khai sinh cho cháu không", "1.003583"),
        ("đăng ký khai sinh lưu động", "1.003583"),
        ("con sinh ở xã biên giới, mẹ cháu là người Lào", "1.000110"),
        ("chúng tôi chưa đăng ký kết hôn, muốn làm khai sinh và nhận cha cho con", "1.000689"),
        ("khai sinh kết hợp nhận cha mẹ con, bố cháu là người Nhật", "1.001695"),
        ("tôi 30 tuổi chưa đăng ký khai sinh nhưng đã có giấy tờ cá nhân", "1.004772"),
    ],
)
def test_each_qualifier_the_message_mentions_selects_its_variant(
    families: FamilyIndex, message: str, expected: str
) -> None:
    assert choose(families, message, [BIRTH, *BIRTH_VARIANTS]) == expected


def test_a_citizen_is_an_individual_unless_they_say_company(families: FamilyIndex) -> None:
    organisations, households = "1.012753", "1.013978"  # first land certificate
    ranked = [organisations, households]
    assert choose(families, "xin cấp sổ đỏ lần đầu cho đất nhà tôi", ranked) == households
    assert (
        choose(families, "công ty tôi đang sử dụng đất, xin cấp sổ đỏ lần đầu", ranked[::-1]) == organisations
    )


def test_the_citizens_own_criminal_record_certificate_wins(families: FamilyIndex) -> None:
    # The variants for prosecuting agencies (3.000335) and state bodies (3.000334) lose by default,
    # and the provincial record beats the ministry's (3.000330) in a province's deployment.
    ranked = ["3.000335", "3.000334", "3.000330", "3.000333"]
    assert choose(families, "lý lịch tư pháp", ranked) == "3.000333"


def test_level_duplicates_choose_the_served_level(families: FamilyIndex) -> None:
    central, provincial = "1.001471", "1.001456"
    assert choose(families, "làm hộ chiếu", [central, provincial]) == provincial
    assert families.regroup([provincial, central], "làm hộ chiếu", frozenset({Level.MINISTRY}))[0] == central


def test_a_central_only_procedure_is_still_found(families: FamilyIndex) -> None:
    # Cấp lại giấy phép xuất nhập cảnh cho người không quốc tịch: provincial and central records.
    assert choose(families, "giấy phép xuất nhập cảnh", ["2.000281"]) == "1.002359"
    # A family of one at the central level stays itself.
    only_central = next(
        m.code
        for m in families.members.values()
        if m.levels == (Level.MINISTRY,) and len(families.family_of(m.code)) == 1
    )
    assert choose(families, "x", [only_central]) == only_central


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("làm căn cước cho con tôi 6 tuổi", "1.014062"),
        ("cap can cuoc cho be 10 tuoi", "1.014062"),
        ("làm căn cước lần đầu", "1.014061"),
        ("con tôi 15 tuổi đi làm căn cước", "1.014061"),
        ("làm căn cước cho trẻ dưới 14 tuổi", "1.014062"),
    ],
)
def test_ages_are_conditions_compared_with_the_number_in_the_name(
    families: FamilyIndex, message: str, expected: str
) -> None:
    ranked = ["1.012543", "1.001247", "1.014062", "1.014061"]
    assert choose(families, message, ranked) == expected


@pytest.mark.parametrize(("answer", "ages", "under"), [("trên 14", (14,), None), ("dưới 14", (), 14)])
def test_a_bound_alone_answers_the_clerks_question_about_age(
    answer: str, ages: tuple[int, ...], under: int | None
) -> None:
    said = cues(answer)
    assert (said.ages, said.under) == (ages, under)
    assert cues("xe dưới 14 chỗ").under is None


def test_two_other_members_of_the_first_family_follow_it_the_rest_come_last(families: FamilyIndex) -> None:
    ranked = [*BIRTH_VARIANTS, BIRTH, "2.000635"]
    order = families.regroup(ranked, "đăng ký khai sinh", SERVED)
    first_variants = list(BIRTH_VARIANTS)[:2]
    assert order[:4] == [BIRTH, *first_variants, "2.000635"]
    assert set(order[4:]) == set(BIRTH_VARIANTS) - set(first_variants)


def test_no_question_when_the_plain_member_fits(families: FamilyIndex) -> None:
    assert families.question(BIRTH, cues("đăng ký khai sinh"), SERVED) is None


def test_a_question_when_two_members_stay_open(families: FamilyIndex) -> None:
    # "biên giới" without a foreign person: the border variant of a foreign-element registration and
    # the foreign-element one both need what the message does not say ... the message says border, so
    # the border variant fits fully. Asking about a family whose plain member is missing:
    # the land-use-change records of provinces (organisations) and communes (households) share a name;
    # the message says company *and* household, so both fit equally.
    said = cues("công ty và hộ gia đình tôi xin chuyển mục đích sử dụng đất")
    assert families.question("1.013949", said, SERVED) is None  # the plain (household) record fits
    tie = cues("đăng ký kết hôn ở khu vực biên giới")
    question = families.question("1.000894", tie, SERVED)
    assert question is None  # border implies a foreign spouse: the border variant fits fully


def test_the_clerks_question_names_the_feature_and_offers_each_member(families: FamilyIndex) -> None:
    # Khai thuế "đối với tổ chức khai thay …" has two records, both for organisations, that differ in
    # what the rest of the name says: no qualifier separates them, so no question either.
    assert families.question("1.011020", cues("khai thuế thay"), SERVED) is None
    # Two members that differ only by a qualifier the message leaves open: the foreign-element and the
    # combined variants when the message rules out the plain one (a child, both parents unmarried, one
    # of them foreign, is the combined foreign variant; without "nước ngoài" the plain combined one).
    said = cues("khai sinh kết hợp nhận cha mẹ con")
    assert families.question(BIRTH, said, SERVED) is None


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("mẹ tôi mất năm 1995, giấy chứng tử bị mất và xã không còn lưu sổ", "1.005461"),
        ("giấy chứng tử", "1.000656"),
        ("dang ky lai khai tu", "1.005461"),
    ],
)
def test_registering_again_is_chosen_only_when_the_register_is_gone(
    families: FamilyIndex, message: str, expected: str
) -> None:
    assert choose(families, message, ["1.005461", "1.000656"]) == expected


def test_a_leader_whose_action_the_message_does_not_ask_for_gives_way(families: FamilyIndex) -> None:
    # "Xóa đăng ký tạm trú" ranked above "Đăng ký tạm trú" for a message that asks to register.
    assert families.regroup(["1.010028", "1.004194"], "đăng ký tạm trú online", SERVED)[0] == "1.004194"
    assert families.regroup(["1.010028", "1.004194"], "xóa tạm trú khi chuyển đi", SERVED)[0] == "1.010028"
    assert unsaid_action("Cấp đổi thẻ căn cước", "lam can cuoc lan dau")
    assert not unsaid_action("Cấp đổi thẻ căn cước", "can cuoc het han")


def test_a_childs_card_without_an_age_is_the_clerks_question(families: FamilyIndex) -> None:
    question = families.question("1.014061", cues("làm căn cước cho con"), SERVED)
    assert question is not None and question.text == "Người làm thủ tục dưới 14 tuổi phải không?"
    options = dict(question.options)
    assert options.keys() == {"Dưới 14 tuổi", "Từ 14 tuổi"}
    assert options["Dưới 14 tuổi"] in {"1.014062", "1.012549"}  # commune or province, not central
    assert options["Từ 14 tuổi"] in {"1.014061", "2.000200"}
    # A grade at school is an age.
    assert choose(families, "con tôi đang học lớp 2, muốn làm căn cước", ["1.014061"]) in {
        "1.014062",
        "1.012549",
    }


def test_a_served_level_beats_a_better_ranked_central_record(families: FamilyIndex) -> None:
    # Cấp lại thẻ căn cước: central, provincial and commune records.
    assert choose(families, "cấp lại căn cước", ["1.000757", "1.014064", "2.001194"]) == "1.014064"


@pytest.mark.parametrize(
    ("name", "message", "unsaid"),
    [
        # "lái xe" and "mất bao nhiêu tiền" fold to "lai", "mat": they ask for no new paper.
        ("Cấp lại giấy phép lái xe", "làm giấy phép lái xe máy lần đầu mất bao nhiêu tiền", True),
        ("Cấp lại giấy phép lái xe", "mất bằng lái xe, xin cấp lại", False),
        ("Đổi giấy phép lái xe", "học lái xe ô tô để thi bằng", True),
        ("Đổi giấy phép lái xe", "bằng lái hết hạn rồi", False),
        (
            "Chuyển đổi công ty trách nhiệm hữu hạn một thành viên",
            "thành lập công ty TNHH một thành viên",
            True,
        ),
    ],
)
def test_hanh_dong_cua_ten_ma_cau_hoi_khong_noi(name: str, message: str, unsaid: bool) -> None:
    assert unsaid_in(family_key(name), action_words(message)) is unsaid


@pytest.mark.parametrize(
    ("message", "combined"),
    [
        ("làm khai sinh cho con mới sinh và nhận cha luôn", True),
        ("khai sinh kết hợp nhận cha mẹ con", True),
        # Recognition alone, or for a child whose birth is already registered, is no combined case.
        ("nhận cha cho con khi bố đã mất", False),
        ("con đã có giấy khai sinh nhưng bỏ trống phần cha, giờ bố cháu muốn làm thủ tục nhận con", False),
    ],
)
def test_recognising_a_parent_is_combined_with_a_birth_only_when_the_birth_is_registered_now(
    message: str, combined: bool
) -> None:
    assert (Qualifier.COMBINED in cues(message).said) is combined


@pytest.mark.parametrize(
    ("name", "enterprises"),
    [
        ("Thông báo tạm ngừng kinh doanh (doanh nghiệp, chi nhánh, văn phòng đại diện)", True),
        (
            "Cấp lại Giấy phép đào tạo lái xe ô tô khi bị mất, có sự thay đổi về tên của cơ sở đào tạo",
            True,
        ),
        ("Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", False),
        ("Cấp lại giấy phép lái xe", False),
        ("Khai thuế đối với hộ kinh doanh, cá nhân kinh doanh", False),
    ],
)
def test_a_name_tells_an_enterprises_procedure_whatever_its_applicant_list(
    name: str, enterprises: bool
) -> None:
    assert for_enterprises(name) is enterprises
