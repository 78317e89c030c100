"""
Makes assets/models/watermark/rivagan_encoder_int8.onnx from RivaGAN's float encoder
(ShieldMnt/invisible-watermark, MIT): its depth-1 3-D convolutions become 2-D ones
(squeeze/unsqueeze of the time axis: the same arithmetic, and onnxruntime's fast 2-D
kernels), the graph moves to opset 13, and the convolutions are quantized to int8
(QDQ, per-channel int8 weights, uint8 activations, min/max calibrated on real frames).

  python scripts/quantize-rivagan.py ENCODER.onnx OUT.onnx FRAMES.rgb [FRAMES.rgb ...]

FRAMES.rgb: rgb24 frames at the working size 256x144, e.g.
  ffmpeg -i clip.mp4 -vf fps=2,scale=256:144:flags=area,format=rgb24 -f rawvideo clip.rgb
Needs `pip install onnx onnxruntime numpy` (a tool for this step only; the product uses onnxruntime-node).
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, version_converter
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static


def to_2d(m):
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    nodes = []
    for n in g.node:
        if n.op_type != 'Conv':
            nodes.append(n)
            continue
        w = numpy_helper.to_array(inits[n.input[1]])
        assert w.shape[2] == 1, 'only depth-1 kernels'
        inits[n.input[1]].CopyFrom(numpy_helper.from_array(w[:, :, 0], n.input[1]))
        a = {x.name: helper.get_attribute_value(x) for x in n.attribute}
        x2d, y2d = n.output[0] + '_in2d', n.output[0] + '_out2d'
        nodes.append(helper.make_node('Squeeze', [n.input[0]], [x2d], axes=[2], name=n.name + '_sq'))
        nodes.append(helper.make_node('Conv', [x2d, n.input[1], n.input[2]], [y2d], name=n.name,
                                      kernel_shape=a['kernel_shape'][1:],
                                      pads=[a['pads'][1], a['pads'][2], a['pads'][4], a['pads'][5]],
                                      strides=a['strides'][1:], dilations=a['dilations'][1:], group=a['group']))
        nodes.append(helper.make_node('Unsqueeze', [y2d], [n.output[0]], axes=[2], name=n.name + '_unsq'))
    del g.node[:]
    g.node.extend(nodes)
    del g.value_info[:]
    return version_converter.convert_version(m, 13)


def tiles(path):
    """rgb24 256x144 frames → the 8 tiles of each (4 columns × 2 rows of 64x72), [-1, 1], as the product cuts them."""
    a = np.fromfile(path, np.uint8).reshape(-1, 144, 256, 3)
    return [f.reshape(2, 72, 4, 64, 3).transpose(0, 2, 4, 1, 3).reshape(8, 3, 1, 72, 64).astype(np.float32) / 127.5 - 1 for f in a]


class Frames(CalibrationDataReader):
    def __init__(self, frames):
        self.rng = np.random.default_rng(1)
        self.it = iter(frames)

    def get_next(self):
        f = next(self.it, None)
        return None if f is None else {'frame': f, 'data': self.rng.integers(0, 2, (8, 32)).astype(np.float32)}


def main():
    src, dst, *calib = sys.argv[1:]
    tmp = dst + '.2d.onnx'
    m = to_2d(onnx.load(src))
    onnx.checker.check_model(m)
    onnx.save(m, tmp)
    frames = [t for p in calib for t in tiles(p)]
    quantize_static(tmp, dst, Frames(frames), quant_format=QuantFormat.QDQ, op_types_to_quantize=['Conv'],
                    per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)


if __name__ == '__main__':
    main()
