"""`make bench-search`: index the real catalogue cold, then time 1,000 queries, hybrid vs BM25 alone.

Queries are generated from the catalogue names the way citizens shorten them: the name's head
with diacritics, the same without, with everyday names/abbreviations for official terms, and cut
short. A query counts as found when a procedure with the same name (several codes share one)
comes back. Latency is measured after a warm-up, with the model loaded, in one process.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from search_index.catalogue import Procedure
from search_index.service import SearchHit, SearchService
from search_index.settings import SearchSettings, real_catalogue_file
from vntext.normalize import normalize, strip_accents

# Official term → what citizens type instead (the reverse direction of vntext's abbreviations).
EVERYDAY_NAMES = {
    "giấy chứng nhận quyền sử dụng đất": "sổ đỏ",
    "căn cước công dân": "cccd",
    "căn cước": "cccd",
    "giấy phép lái xe": "bằng lái",
    "bảo hiểm y tế": "bhyt",
    "mã số thuế": "mst",
    "đăng ký kinh doanh": "đkkd",
    "thường trú": "hộ khẩu",
    "thủ tục hành chính": "tthc",
}
KINDS = ("có dấu", "không dấu", "viết tắt", "cắt ngắn")


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str
    accept: frozenset[str]


def _head(words: list[str], rng: random.Random, low: int, high: int) -> str:
    return " ".join(words[: rng.randint(low, high)])


def generate_queries(procedures: Sequence[Procedure], count: int, seed: int = 7) -> list[BenchQuery]:
    """``count`` queries, a quarter of each kind, from names of randomly drawn procedures."""
    rng = random.Random(seed)
    same_name: defaultdict[str, set[str]] = defaultdict(set)
    for p in procedures:
        same_name[normalize(p.name)].add(p.code)
    with_everyday = [p for p in procedures if any(t in normalize(p.name) for t in EVERYDAY_NAMES)]
    queries: list[BenchQuery] = []
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        pool = with_everyday if kind == "viết tắt" and with_everyday else procedures
        procedure = rng.choice(pool)
        name = normalize(procedure.name).split("(")[0]
        words = name.split()
        if kind == "có dấu":
            text = _head(words, rng, 6, 12)
        elif kind == "không dấu":
            text = strip_accents(_head(words, rng, 6, 12))
        elif kind == "viết tắt":
            text = _head(words, rng, 6, 14)
            for official, everyday in EVERYDAY_NAMES.items():
                text = text.replace(official, everyday)
            if rng.random() < 0.5:
                text = strip_accents(text)
        else:
            text = _head(words, rng, 3, 5)
        queries.append(BenchQuery(kind, text, frozenset(same_name[normalize(procedure.name)])))
    return queries


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class RunResult:
    latencies_ms: list[float]
    ranks: dict[str, list[int | None]]

    def recall(self, kind: str | None, k: int) -> float:
        ranks = [r for key, rs in self.ranks.items() if kind in (None, key) for r in rs]
        return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def run(
    queries: Sequence[BenchQuery], search: Callable[[str], list[SearchHit]], warmup: int = 20
) -> RunResult:
    for query in queries[:warmup]:
        search(query.text)
    result = RunResult([], defaultdict(list))
    for query in queries:
        started = time.perf_counter()
        hits = search(query.text)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        codes = [h.procedure.code for h in hits]
        result.ranks[query.kind].append(next((i + 1 for i, c in enumerate(codes) if c in query.accept), None))
    return result


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search_index.bench")
    parser.add_argument("--catalogue", type=Path, default=real_catalogue_file())
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args(argv)

    from search_index.catalogue_files import load_catalogue

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        # A cold index and a cold embedding cache: the import time is the real first-run cost.
        settings = SearchSettings(
            QDRANT_PATH=Path(tmp) / "qdrant",
            QDRANT_URL=None,
            EMBEDDING_CACHE_PATH=Path(tmp) / "embeddings.sqlite",
        )
        service = SearchService.from_settings(settings)
        started = time.perf_counter()
        loaded = load_catalogue(args.catalogue)
        report = service.sync(loaded.procedures)
        import_s = time.perf_counter() - started
        rss_import = peak_rss_mib()
        resync = service.sync(loaded.procedures)
        print(f"catalogue: {args.catalogue}")
        print(
            f"import+index: {len(loaded.procedures)} procedures, {len(loaded.skipped)} skipped, "
            f"{report.embedded} embedded in {import_s:.1f} s; peak RSS {rss_import:.0f} MiB"
        )
        print(
            f"re-import unchanged: {resync.unchanged} unchanged, {resync.embedded} embedded, "
            f"{resync.seconds:.1f} s"
        )

        queries = generate_queries(loaded.procedures, args.queries)
        runs = {
            "hybrid": run(queries, lambda q: service.search(q, limit=10)),
            "bm25": run(queries, lambda q: service.search_sparse_only(q, limit=10)),
        }
        print(
            f"\n{len(queries)} queries ({', '.join(KINDS)}: {len(queries) // len(KINDS)} each), "
            f"after a {20}-query warm-up; R@k = a procedure of that name in the top k"
        )
        header = f"{'mode':8}{'p50 ms':>8}{'p95 ms':>8}{'R@1':>7}{'R@5':>7}" + "".join(
            f"{'R@1 ' + k:>16}" for k in KINDS
        )
        print(header)
        for mode, result in runs.items():
            print(
                f"{mode:8}{statistics.median(result.latencies_ms):8.1f}"
                f"{_percentile(result.latencies_ms, 0.95):8.1f}"
                f"{result.recall(None, 1):7.3f}{result.recall(None, 5):7.3f}"
                + "".join(f"{result.recall(k, 1):16.3f}" for k in KINDS)
            )
        print(f"peak RSS {peak_rss_mib():.0f} MiB")
        service.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
