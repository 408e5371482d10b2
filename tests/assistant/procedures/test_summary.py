"""The console's card of a procedure: the same document lines as the chat's answers, then terms and link."""

from __future__ import annotations

from assistant.procedures.answers import AnswerContext, Aspect, answer
from assistant.procedures.summary import procedure_summary
from search_index.catalogue import Procedure


def test_the_card_lists_papers_as_the_answer_does(demo_procedures: list[Procedure]) -> None:
    procedure = next(p for p in demo_procedures if p.code == "1.001193")
    card = procedure_summary(procedure)
    ctx = AnswerContext("18001096", "https://dichvucong.gov.vn")
    chat = "\n".join(answer(Aspect.DOCUMENTS, procedure, ctx, full=True).messages)
    papers = [line for line in card.splitlines() if line[:1].isdigit()]
    assert papers and all(line in chat for line in papers)
    assert card.startswith(f"{procedure.name} (mã 1.001193)") and (procedure.source_url or "") in card


def test_a_long_list_is_cut_with_a_pointer_to_the_rest(demo_procedures: list[Procedure]) -> None:
    procedure = max(demo_procedures, key=lambda p: len(p.documents))
    card = procedure_summary(procedure, max_documents=1)
    assert f"… và {len(procedure.documents) - 1} giấy tờ khác" in card
    assert sum(line[:1].isdigit() for line in card.splitlines()) == 1
