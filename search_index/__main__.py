"""Command line of the search index.

python -m search_index import [FILE | --demo] [--prune]
python -m search_index query "cấp lại căn cước" [--level xã] [--field …] [--agency …] [--top-k 5] [--json]
python -m search_index eval FILE.tsv
python -m search_index audit [FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from search_index.catalogue_files import DEMO_CATALOGUE
from search_index.errors import SearchError
from search_index.service import SearchService, SyncReport
from search_index.settings import SearchSettings, real_catalogue_file


def _print_report(report: SyncReport, source: Path) -> None:
    print(f"Nhập danh mục {source}: {report.summary()}")
    for record, reason in report.skipped:
        print(f"  bỏ qua {record}: {reason}")


def cmd_import(args: argparse.Namespace) -> int:
    settings = SearchSettings()
    source = DEMO_CATALOGUE if args.demo else Path(args.file) if args.file else settings.catalogue_file
    service = SearchService.from_settings(settings)
    report = service.sync_catalogue(source, prune=args.prune)
    _print_report(report, source)
    where = settings.qdrant_url or settings.qdrant_path
    print(f"Chỉ mục {where} / {service.collection}: {service.count()} thủ tục")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    service = SearchService.from_settings()
    started = time.perf_counter()
    hits = service.search(
        args.query, level=args.level, field=args.field, agency=args.agency, limit=args.top_k
    )
    elapsed_ms = (time.perf_counter() - started) * 1000
    if args.json:
        rows = [
            {"rank": i, "score": h.score, **h.procedure.model_dump(mode="json")}
            for i, h in enumerate(hits, 1)
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("Không tìm thấy thủ tục phù hợp.")
    for rank, hit in enumerate(hits, start=1):
        levels = ", ".join(level.value for level in hit.procedure.levels) or "-"
        print(f"{rank:>2}. {hit.procedure.code:<10} {hit.procedure.name}  [cấp: {levels}]  {hit.score:.4f}")
    print(f"({len(hits)} kết quả, {elapsed_ms:.0f} ms)")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from search_index.evaluation import (
        eval_settings,
        family_first,
        judge,
        judge_stripped,
        read_eval_file,
        report,
    )

    cases = read_eval_file(Path(args.file))
    service = SearchService.from_settings(eval_settings())
    catalogue = Path(args.catalogue) if args.catalogue else real_catalogue_file()
    _print_report(service.sync_catalogue(catalogue), catalogue)

    def search(query: str) -> list[str]:
        return [h.procedure.code for h in service.search(query, limit=10)]

    def family(code: str) -> frozenset[str]:
        return frozenset(m.code for m in service.families.family_of(code)) or frozenset({code})

    judged = judge(cases, search)
    family_share = family_first(judged, family)
    print("\n".join(report(judged, judge_stripped(judged, search), family_share)))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from search_index.audit import audit_file, report_lines

    catalogue = Path(args.file) if args.file else real_catalogue_file()
    report, skipped = audit_file(catalogue)
    print("\n".join(report_lines(report, skipped)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m search_index", description="Danh mục thủ tục và tìm kiếm."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser(
        "import", help="nhập một danh mục (JSON/JSONL của ta hoặc JSONL(.gz) của Cổng DVCQG)"
    )
    imp.add_argument("file", nargs="?", help="tệp danh mục (mặc định: CATALOGUE_FILE)")
    imp.add_argument("--demo", action="store_true", help="danh mục mẫu đi kèm mã nguồn")
    imp.add_argument("--prune", action="store_true", help="xoá khỏi chỉ mục các thủ tục không có trong tệp")
    imp.set_defaults(run=cmd_import)

    query = commands.add_parser("query", help="tìm thủ tục")
    query.add_argument("query")
    query.add_argument("--level", help="cấp thực hiện: bộ, tỉnh, xã, khác")
    query.add_argument("--field", help="lĩnh vực")
    query.add_argument("--agency", help="cơ quan thực hiện")
    query.add_argument("--top-k", type=int, default=5)
    query.add_argument("--json", action="store_true")
    query.set_defaults(run=cmd_query)

    evaluate = commands.add_parser("eval", help="R@1, R@5, MRR@10 trên tệp tsv accept<TAB>query")
    evaluate.add_argument("file")
    evaluate.add_argument("--catalogue", help="danh mục để đánh giá (mặc định: ../shared, 2.642 thủ tục)")
    evaluate.set_defaults(run=cmd_eval)

    check = commands.add_parser(
        "audit",
        help="chất lượng đọc phí, thời hạn, nơi nộp của một danh mục (mặc định: ../shared, 2.642 thủ tục)",
    )
    check.add_argument("file", nargs="?", help="tệp danh mục")
    check.set_defaults(run=cmd_audit)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "import" and args.demo and args.file:
        print("Chọn một trong hai: FILE hoặc --demo.", file=sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except SearchError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"Lỗi: không tìm thấy {exc.filename or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
