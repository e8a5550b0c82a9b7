"""Write an fp32-activation copy of an int8 encoder graph, to measure what dynamic activation quantisation costs.

onnxruntime's ``quantize_dynamic`` graph runs each MatMul as DynamicQuantizeLinear(x) -> MatMulInteger(xq, Wq) ->
Cast -> Mul(x_scale * w_scale). This rewrites each such chain as MatMul(x, (Wq - w_zero) * w_scale): the same
int8-rounded weights, with activations kept in fp32 (no per-run scale, so no dependence on the run's range).

    .venv/bin/python -m training.experiments.dequantize_encoder presslens/models/encoder/lower.onnx /tmp/lower-fp32.onnx
(needs the ``onnx`` package, which presslens itself does not.)
"""
from __future__ import annotations

import sys

import numpy as np


def dequantize(src: str, dst: str) -> None:
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(src)
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    drop, new_inits = set(), []
    replacement = {}
    for n in graph.node:
        if n.op_type != "MatMulInteger":
            continue
        xq, wq, _xzp, wzp = n.input
        quant = producer[xq]
        cast = consumers[n.output[0]][0]
        mul = consumers[cast.output[0]][0]
        scales = producer[[i for i in mul.input if i != cast.output[0]][0]]  # Mul(x_scale, w_scale)
        w_scale = [i for i in scales.input if i in inits][0]
        w = numpy_helper.to_array(inits[wq]).astype(np.float32)
        zp = numpy_helper.to_array(inits[wzp]).astype(np.float32)
        sc = numpy_helper.to_array(inits[w_scale]).astype(np.float32)
        name = wq.replace("_quantized", "_fp32")
        new_inits.append(numpy_helper.from_array((w - zp) * sc, name))
        replacement[n.name or n.output[0]] = helper.make_node("MatMul", [quant.input[0], name], [mul.output[0]],
                                                              name=(n.name or n.output[0]) + "_fp32")
        drop.update({id(n), id(cast), id(mul)})
    nodes = []
    for n in graph.node:
        key = n.name or n.output[0]
        if key in replacement:
            nodes.append(replacement[key])
        elif id(n) not in drop:
            nodes.append(n)
    # drop quantisers and scale products nobody reads any more
    while True:
        used = {i for n in nodes for i in n.input} | {o.name for o in graph.output}
        keep = [n for n in nodes if any(o in used for o in n.output) or n.op_type == "MatMul"]
        if len(keep) == len(nodes):
            break
        nodes = keep
    del graph.node[:]
    graph.node.extend(nodes)
    graph.initializer.extend(new_inits)
    used = {i for n in nodes for i in n.input}
    keep_inits = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep_inits)
    onnx.save(model, dst)


if __name__ == "__main__":
    dequantize(sys.argv[1], sys.argv[2])
