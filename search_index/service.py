"""SearchService: the one entry point other parts use to find and read procedures.

Construction is cheap (nothing connects, nothing loads); the Qdrant client, the embedding model and
the diacritics table are created on first use, each once, under a lock, so one service can be shared
between threads.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from search_index import qdrant_store, sparse
from search_index.catalogue import Level, Procedure
from search_index.diacritics import DiacriticsRestorer
from search_index.embedding_cache import EmbeddingCache
from search_index.errors import InvalidQuery, UnknownFilter
from search_index.families import FamilyIndex, Question, cues
from search_index.hybrid_search import SearchFilter, candidate_points, sparse_query
from search_index.procedure_cache import ProcedureCache
from search_index.rerank import Candidate, Reranker, TermStats, features
from search_index.settings import SearchSettings
from vntext.abbreviations import ABBREVIATIONS, expand_abbreviations
from vntext.everyday import expand_everyday
from vntext.normalize import has_diacritics, normalize, strip_accents
from vntext.procedure_codes import NATIONAL_CODE
from vntext.syllables import vietnamese_syllables

if TYPE_CHECKING:
    from qdrant_client import QdrantClient

    from search_index.encoder import Encoder

# Longer input is cut at a word boundary: a citizen's question fits, a pasted document does not
# make the model (512 tokens at most) or the sparse scoring slow.
MAX_QUERY_CHARS = 400
MAX_LIMIT = 50
# Bump when passage_text or the sparse features change: stored points are then re-indexed.
INDEX_FORMAT = "passage-v1+sparse-v2+applicants+text-v1"
# The sparse vectors read names through the abbreviation table: a change to it re-indexes too.
_TERMS_VERSION = hashlib.sha256(repr(sorted(ABBREVIATIONS.items())).encode()).hexdigest()[:8]
# Records retrieved before families are grouped: enough for a family's members to meet.
FAMILY_POOL = 20
_LEVEL_VALUES = {level.value for level in Level}
_LEVEL_ALIASES = {strip_accents(level.value): level for level in Level} | {
    strip_accents(f"cấp {level.value}"): level for level in Level
}


@dataclass(frozen=True)
class SearchHit:
    procedure: Procedure
    score: float
    # Set when the message leaves two members of this procedure's family equally open.
    question: Question | None = None
    # Another member of the family of the hit with this code, shown after it (not the one meant).
    variant_of: str | None = None
    # Nothing retrieved fits the message well enough (the re-ranker's fit floor): the message most
    # likely asks about something the catalogue does not hold; the hits are only the nearest records.
    outside: bool = False


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    embedded: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (record, reason)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"thêm {self.added}, cập nhật {self.updated}, không đổi {self.unchanged}, xoá {self.removed}, "
            f"bỏ qua {len(self.skipped)}; tính embedding {self.embedded}; {self.seconds:.1f} s"
        )


def passage_text(procedure: Procedure) -> str:
    """What the dense model reads for a procedure: what identifies it, not its whole content."""
    return f"{procedure.name}. Lĩnh vực: {procedure.field}" if procedure.field else procedure.name


_PARENTHESES = re.compile(r"\([^()]*\)")


def sparse_fields(procedure: Procedure) -> list[tuple[str, float]]:
    """Weighted text of the sparse vector: the name decides; its parenthesised details and the field
    only break ties (long lists of cases in parentheses would otherwise bury the name's own words)."""
    details = " ".join(_PARENTHESES.findall(procedure.name))
    return [(_PARENTHESES.sub(" ", procedure.name), 1.0), (details, 0.3), (procedure.field, 0.3)]


def record_text(procedure: Procedure) -> str:
    """What a record says beyond its name, for the BM25 side over whole records: who applies, the
    conditions, the documents, the steps and the result. Citizens describe situations ("xe lu, xe
    xúc", "tiền bị rách") that the name does not say and these parts do."""
    return " ".join(
        [
            procedure.name,
            " ".join(procedure.applicants),
            procedure.conditions,
            " ".join(d.name for d in procedure.documents),
            " ".join(procedure.steps),
            procedure.result,
        ]
    )


def clean_query(query: str) -> str:
    """The query trimmed and bounded, or InvalidQuery when there is nothing to search for."""
    if not isinstance(query, str) or not any(ch.isalnum() for ch in query):
        raise InvalidQuery("Vui lòng nhập tên thủ tục hoặc nội dung cần tìm (câu hỏi đang trống).")
    text = " ".join(query.split())
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return text


def _fold(text: str) -> str:
    return strip_accents(normalize(text))


def _model_id(model_dir: Path) -> str:
    """Names the weights: the directory name plus a fingerprint of its files (sizes, mtimes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(model_dir)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return f"{model_dir.name}-{digest.hexdigest()[:12]}"


class SearchService:
    def __init__(
        self,
        settings: SearchSettings,
        *,
        encoder: Encoder | None = None,
        model_id: str | None = None,
    ) -> None:
        """``encoder``/``model_id`` replace the model from settings (tests, benchmarks)."""
        self.settings = settings
        self.collection = settings.qdrant_collection
        self._encoder = encoder
        self._model_id = model_id
        self._client: QdrantClient | None = None
        self._cache: EmbeddingCache | None = None
        self._restorer: DiacriticsRestorer | None = None
        self._known: dict[str, dict[str, str]] | None = None  # filter name → folded value → value
        self._families: FamilyIndex | None = None
        self._terms: TermStats | None = None
        self._reranker: Reranker | None = None
        self._procedures = ProcedureCache()
        self._lock = threading.RLock()

    @classmethod
    def from_settings(cls, settings: SearchSettings | None = None) -> SearchService:
        return cls(settings or SearchSettings())

    # ------------------------------------------------------------------ lazily created parts
    @property
    def client(self) -> QdrantClient:
        with self._lock:
            if self._client is None:
                self._client = qdrant_store.connect(self.settings)
            return self._client

    @property
    def encoder(self) -> Encoder:
        with self._lock:
            if self._encoder is None:
                from search_index.encoder import load_encoder

                self._encoder = load_encoder(self.settings.model_dir)
            return self._encoder

    @property
    def model_id(self) -> str:
        with self._lock:
            if self._model_id is None:
                self._model_id = _model_id(self.settings.model_dir)
            return self._model_id

    @property
    def index_version(self) -> str:
        return f"{self.model_id}/{INDEX_FORMAT}/{_TERMS_VERSION}"

    def _embedding_cache(self) -> EmbeddingCache:
        with self._lock:
            if self._cache is None:
                self._cache = EmbeddingCache(self.settings.embedding_cache_path)
            return self._cache

    def _has_collection(self) -> bool:
        return self.client.collection_exists(self.collection)

    def _catalogue_views(self) -> tuple[DiacriticsRestorer, dict[str, dict[str, str]]]:
        """The diacritics table and the filter values, both derived from what the index holds."""
        with self._lock:
            if self._restorer is None or self._known is None or self._families is None or self._terms is None:
                names: list[str] = []
                known: dict[str, dict[str, str]] = {"field": {}, "agency": {}}
                records: list[tuple[str, str, list[Level], list[str]]] = []
                if self._has_collection():
                    fields = ["code", "name", "field", "agencies", "levels", "applicants"]
                    for payload in qdrant_store.scroll_payloads(self.client, self.collection, fields):
                        names.extend([payload.get("name", ""), payload.get("field", "")])
                        levels = [Level(v) for v in payload.get("levels") or [] if v in _LEVEL_VALUES]
                        records.append(
                            (
                                payload.get("code", ""),
                                payload.get("name", ""),
                                levels,
                                payload.get("applicants") or [],
                            )
                        )
                        if payload.get("field"):
                            known["field"][_fold(payload["field"])] = payload["field"]
                        for agency in payload.get("agencies") or []:
                            known["agency"][_fold(agency)] = agency
                self._restorer = DiacriticsRestorer.from_texts(names)
                self._known = known
                self._families = FamilyIndex.build(records)
                self._terms = TermStats(r[1] for r in records)
            return self._restorer, self._known

    @property
    def families(self) -> FamilyIndex:
        """The catalogue's procedure families (see ``search_index.families``), as the index holds it."""
        self._catalogue_views()
        with self._lock:
            assert self._families is not None
            return self._families

    @property
    def terms(self) -> TermStats:
        self._catalogue_views()
        with self._lock:
            assert self._terms is not None
            return self._terms

    @property
    def reranker(self) -> Reranker:
        with self._lock:
            if self._reranker is None:
                self._reranker = Reranker.load()
            return self._reranker

    # ------------------------------------------------------------------ reading
    def count(self) -> int:
        with self._lock:
            if not self._has_collection():
                return 0
            return self.client.count(self.collection, exact=True).count

    def get(self, code: str) -> Procedure | None:
        code = code.strip()
        if not code:
            return None
        with self._lock:
            if not self._has_collection():
                return None
            return qdrant_store.get_procedure(self.client, self.collection, code)

    def search(
        self,
        query: str,
        *,
        level: Level | str | None = None,
        field: str | None = None,
        agency: str | None = None,
        limit: int = 5,
        message: str | None = None,
    ) -> list[SearchHit]:
        """The procedures that best match ``query``, best first (a national code in it comes first).

        One member per family leads, chosen by what ``message`` (default: the query) says about the
        features that set variants apart; the other members follow the leaders."""
        text = clean_query(query)
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidQuery(f"Số kết quả phải từ 1 đến {MAX_LIMIT}.")
        search_filter = self.resolve_filter(level=level, field=field, agency=agency)
        exact = self._exact_code_hits(text, search_filter)
        if exact and NATIONAL_CODE.fullmatch(text):
            return exact[:limit]
        query_text = self.repaired(text)
        # The lookup passes the query as the message too: repaired once.
        said = self.repaired(message) if message and message != text else query_text
        candidates, rows = self.candidates(query_text, said, search_filter)
        found = self.reranker.rank(candidates, rows)[: max(limit, FAMILY_POOL) + len(exact)]
        seen = {hit.procedure.code for hit in exact}
        ranked = [(p, score) for p, score in found if p.code not in seen]
        hits = self._by_family(said, ranked, search_filter)
        if not exact and not self.reranker.fits(rows):
            hits = [replace(hit, outside=True) for hit in hits]
        return (exact + hits)[:limit]

    def _by_family(
        self, text: str, ranked: list[tuple[Procedure, float]], search_filter: SearchFilter
    ) -> list[SearchHit]:
        """One hit per family first, at the rank of its best member, with the member the message means;
        then the other members retrieved. Members that were not retrieved are read from the index."""
        families = self.families
        served = self._served(search_filter)
        said = cues(text)
        by_code = {p.code: (p, score) for p, score in ranked}

        def family_of(code: str) -> str:
            return families.members[code].family if code in families.members else code

        # A family is as likely as its members together: the same procedure published at two levels
        # splits the re-ranker's confidence between two records that are one answer.
        best_score: dict[str, float] = {}
        for code, (_, score) in by_code.items():
            best_score[family_of(code)] = best_score.get(family_of(code), 0.0) + score
        by_family = sorted(by_code, key=lambda c: (-best_score[family_of(c)], -by_code[c][1]))
        order = families.regroup(by_family, text, served)
        hits: list[SearchHit] = []
        leader_of: dict[str, str] = {}  # family → code of the hit that represents it
        for code in order:
            family = family_of(code)
            procedure = by_code[code][0] if code in by_code else self.get(code)
            if procedure is None or not _passes(procedure, search_filter):
                continue
            if family in leader_of:
                hits.append(SearchHit(procedure, by_code[code][1], variant_of=leader_of[family]))
                continue
            leader_of[family] = code
            question = families.question(code, said, served)
            hits.append(SearchHit(procedure, best_score.get(family, 0.0), question))
        # Best first, scores included: the leaders take the families' scores in their new order, the
        # other members never score above the hit before them.
        leader_scores = iter(sorted((h.score for h in hits if h.variant_of is None), reverse=True))
        ordered: list[SearchHit] = []
        for hit in hits:
            score = next(leader_scores) if hit.variant_of is None else hit.score
            if ordered:
                score = min(score, ordered[-1].score)
            ordered.append(replace(hit, score=score))
        return ordered

    def search_sparse_only(self, query: str, *, limit: int = 5) -> list[SearchHit]:
        """BM25 alone, without the model (the benchmark's baseline)."""
        text = clean_query(query)
        with self._lock:
            points = sparse_query(
                self.client, self.collection, sparse.query_vector(text), SearchFilter(), limit
            )
            found = self._procedures.resolve(self.client, self.collection, points)
        return [SearchHit(p, score) for p, score in found]

    def dense_query_text(self, text: str) -> str:
        """What the dense model reads: abbreviations expanded, diacritics restored if none were typed."""
        expanded = expand_abbreviations(normalize(text))
        if has_diacritics(text):
            return expanded
        restorer, _ = self._catalogue_views()
        return restorer.restore(expanded)

    def repaired(self, text: str) -> str:
        """Text typed with diacritics, its mistyped or missing ones repaired from the catalogue's
        spelling ("làm căn cươc", "thủ tuc cấp lai"), so that the everyday names, abbreviations and
        features read it as meant; text without any is left to ``dense_query_text``."""
        if not has_diacritics(text):
            return text
        restorer, _ = self._catalogue_views()
        return restorer.repair(text, vietnamese_syllables())

    def candidates(
        self, query: str, message: str, search_filter: SearchFilter | None = None
    ) -> tuple[list[Candidate], np.ndarray]:
        """What both sides retrieve for ``query``, with the re-ranker's features of each (``message``:
        the citizen's whole message, which says what the variants' features are)."""
        search_filter = search_filter or SearchFilter()
        # Everyday descriptions of a need ("lên thổ cư") bring its official name into the query.
        expanded = expand_everyday(query)
        dense = self.encoder.encode_queries([self.dense_query_text(expanded)])[0]
        with self._lock:
            if not self._has_collection():
                return [], np.zeros((0, 0))
            points = candidate_points(
                self.client, self.collection, dense, sparse.query_vector(expanded), search_filter
            )
            by_dense = self._procedures.resolve(self.client, self.collection, points.dense)
            by_sparse = self._procedures.resolve(self.client, self.collection, points.sparse)
        best_text = points.text[0].score if points.text else 1.0
        by_text = {str(point.id): (point.score / best_text, rank) for rank, point in enumerate(points.text)}
        sides: dict[str, dict[str, Any]] = {}
        for rank, (procedure, score) in enumerate(by_dense):
            sides[procedure.code] = {"procedure": procedure, "dense": score, "dense_rank": rank}
        for rank, (procedure, score) in enumerate(by_sparse):
            sides.setdefault(procedure.code, {"procedure": procedure}).update(sparse=score, sparse_rank=rank)
        for code, side in sides.items():
            if (text := by_text.get(qdrant_store.point_id(code))) is not None:
                side.update(text=text[0], text_rank=text[1])
        found = [Candidate(**side) for side in sides.values()]
        rows = features(message, expanded, found, self.terms, cues(message), self._served(search_filter))
        return found, rows

    def _served(self, search_filter: SearchFilter) -> frozenset[Level]:
        """The levels preferred within a family: the one a search is restricted to, else the served ones."""
        level = search_filter.level
        return frozenset({level}) if level is not None else frozenset(self.settings.served_levels)

    def _exact_code_hits(self, text: str, search_filter: SearchFilter) -> list[SearchHit]:
        hits = []
        for code in dict.fromkeys(NATIONAL_CODE.findall(text)):
            procedure = self.get(code)
            if procedure is not None and _passes(procedure, search_filter):
                hits.append(SearchHit(procedure, 1.0))
        return hits

    def resolve_filter(
        self, *, level: Level | str | None = None, field: str | None = None, agency: str | None = None
    ) -> SearchFilter:
        """Filter values matched to the catalogue's spelling (case and diacritics aside), or UnknownFilter."""
        resolved_level: Level | None = None
        if isinstance(level, Level):
            resolved_level = level
        elif level is not None and level.strip():
            resolved_level = _LEVEL_ALIASES.get(_fold(level))
            if resolved_level is None:
                raise UnknownFilter("cấp thực hiện", level, [lv.value for lv in Level])
        values: dict[str, str | None] = {"field": field, "agency": agency}
        if any(v and v.strip() for v in values.values()):
            _, known = self._catalogue_views()
            labels = {"field": "lĩnh vực", "agency": "cơ quan thực hiện"}
            for name, value in values.items():
                if value is None or not value.strip():
                    values[name] = None
                    continue
                match = known[name].get(_fold(value))
                if match is None:
                    raise UnknownFilter(labels[name], value, sorted(known[name].values()))
                values[name] = match
        return SearchFilter(level=resolved_level, field=values["field"], agency=values["agency"])

    # ------------------------------------------------------------------ writing
    def sync(self, procedures: Iterable[Procedure], *, prune: bool = False) -> SyncReport:
        """Upsert by code; only new or changed records (or a new model) are re-embedded.

        With ``prune`` the procedures absent from ``procedures`` are deleted; otherwise nothing is.
        """
        started = time.perf_counter()
        report = SyncReport()
        by_code: dict[str, Procedure] = {}
        for procedure in procedures:
            if procedure.code in by_code:
                report.skipped.append((procedure.code, "mã thủ tục trùng, đã dùng bản ghi đầu tiên"))
                continue
            by_code[procedure.code] = procedure
        encoder = self.encoder
        with self._lock:
            qdrant_store.ensure_collection(self.client, self.collection, encoder.dim)
            stored = qdrant_store.stored_states(self.client, self.collection)
            version = self.index_version
            changed = [
                p
                for p in by_code.values()
                if stored.get(p.code) != qdrant_store.StoredState(p.content_hash, version)
            ]
            report.added = sum(1 for p in changed if p.code not in stored)
            report.updated = len(changed) - report.added
            report.unchanged = len(by_code) - len(changed)
            if changed:
                report.embedded = self._index(changed, version)
            if prune:
                gone = [code for code in stored if code not in by_code]
                qdrant_store.delete_codes(self.client, self.collection, gone)
                report.removed = len(gone)
            if changed or report.removed:
                self._restorer = self._known = None
                self._terms = None
        report.seconds = time.perf_counter() - started
        return report

    def _index(self, procedures: Sequence[Procedure], version: str) -> int:
        passages = [passage_text(p) for p in procedures]
        vectors, embedded = self._embedding_cache().embed(
            self.model_id, passages, self.encoder.encode_passages
        )
        points = [
            qdrant_store.to_point(
                p,
                vector,
                sparse.document_vector(sparse_fields(p)),
                sparse.document_vector([(record_text(p), 1.0)], sparse.AVERAGE_TEXT_TERMS),
                version,
            )
            for p, vector in zip(procedures, vectors, strict=True)
        ]
        qdrant_store.upsert(self.client, self.collection, points)
        return embedded

    def sync_catalogue(self, path: Path | None = None, *, prune: bool = False) -> SyncReport:
        """Load a catalogue file (default CATALOGUE_FILE) and sync it; bad records are reported as skipped."""
        from search_index.catalogue_files import load_catalogue

        loaded = load_catalogue(path or self.settings.catalogue_file)
        report = self.sync(loaded.procedures, prune=prune)
        report.skipped = [*loaded.skipped_reasons(), *report.skipped]
        return report

    # ------------------------------------------------------------------ operations
    def health(self) -> dict[str, Any]:
        """Readiness for /health: never raises."""
        where = self.settings.qdrant_url or f"local:{self.settings.qdrant_path}"
        try:
            count = self.count()
        except Exception as exc:  # a dead server or a locked folder must show up as a status, not a crash
            return {"status": "error", "qdrant": where, "error": str(exc)}
        return {
            "status": "ok" if count else "empty",
            "qdrant": where,
            "collection": self.collection,
            "procedures": count,
            "model_loaded": self._encoder is not None,
        }

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
            if self._cache is not None:
                self._cache.close()
                self._cache = None


def _passes(procedure: Procedure, search_filter: SearchFilter) -> bool:
    return (
        (search_filter.level is None or search_filter.level in procedure.levels)
        and (search_filter.field is None or procedure.field == search_filter.field)
        and (search_filter.agency is None or search_filter.agency in procedure.agencies)
    )
