"""
Makes assets/models/watermark/rivagan_encoder_int8.onnx from RivaGAN's float encoder
(ShieldMnt/invisible-watermark, MIT). The same network, rebuilt for onnxruntime's CPU kernels:

- the depth-1 3-D convolutions become 2-D ones (one Squeeze in, one Unsqueeze out);
- the attention's Transpose/Softmax/Transpose and the slicing and broadcasting of the bits become
  Exp, Mul, ReduceSum and Div: sum_c softmax(a)_c * d_c = sum_c e^a_c d_c / sum_c e^a_c (a is bounded:
  tanh then batch norm, so no max is subtracted);
- the last 11x11 convolution (32 -> 3 channels) becomes an 11x1 (32 -> 33) then a 1x11 (33 -> 3): exact
  (its weight, unfolded to (in x rows) x (out x columns), has rank <= 33), and onnxruntime unfolds 11 rows of
  input per pixel instead of 121;
- the attention's second convolution (32 -> 32, three quarters of the multiply-adds) becomes an 11x1 (32 -> 64)
  then a 1x11 (64 -> 32): the best rank-64 approximation (SVD) of that unfolding;
- the convolutions are quantized to int8 (QDQ, per-channel int8 weights, uint8 activations, min/max
  calibrated on real frames).

  python scripts/make-rivagan-encoder.py ENCODER.onnx OUT.onnx FRAMES.rgb [FRAMES.rgb ...]

FRAMES.rgb: rgb24 frames at the working size 256x144, e.g.
  ffmpeg -i clip.mp4 -vf fps=2,scale=256:144:flags=area,format=rgb24 -f rawvideo clip.rgb
Needs `pip install onnx onnxruntime numpy` (a tool for this step only; the product uses onnxruntime-node).
docs/provenance.md has what each step saves and what it costs in payload recovery.
"""
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

ATTENTION_RANK = 64
LAST_RANK = 33


def separable(w, rank):
    """(O, I, kh, kw) -> (rank, I, kh, 1) and (O, rank, 1, kw) whose composition is the best rank-`rank` fit."""
    o, i, kh, kw = w.shape
    u, s, vt = np.linalg.svd(w.transpose(1, 2, 0, 3).reshape(i * kh, o * kw), full_matrices=False)
    s = np.sqrt(s[:rank])
    vertical = (u[:, :rank] * s).reshape(i, kh, rank).transpose(2, 0, 1)[:, :, :, None]
    horizontal = (s[:, None] * vt[:rank]).reshape(rank, o, kw).transpose(1, 0, 2)[:, :, None, :]
    return vertical, horizontal


def build(src):
    w = {i.name: numpy_helper.to_array(i) for i in onnx.load(src).graph.initializer}
    nodes, inits = [], []

    def const(name, value, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype), name))
        return name

    def node(op, inputs, out, **attrs):
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def conv(x, out, weight, bias):
        kh, kw = weight.shape[2:]
        return node('Conv', [x, const(out + '_w', weight), const(out + '_b', bias)], out,
                    kernel_shape=[kh, kw], pads=[kh // 2, kw // 2, kh // 2, kw // 2])

    def layer_conv(x, layer, out, rank=None):
        weight, bias = w[layer + '.weight'][:, :, 0], w[layer + '.bias']
        if rank is None:
            return conv(x, out, weight, bias)
        vertical, horizontal = separable(weight, rank)
        return conv(conv(x, out + '_v', vertical, np.zeros(rank)), out, horizontal, bias)

    def batch_norm(x, layer, out):
        scale = w[layer + '.weight'] / np.sqrt(w[layer + '.running_var'] + 1e-5)
        shift = w[layer + '.bias'] - w[layer + '.running_mean'] * scale
        x = node('Mul', [x, const(out + '_gain', scale[None, :, None, None])], out + '_scaled')
        return node('Add', [x, const(out + '_offset', shift[None, :, None, None])], out)

    time_axis = const('time_axis', [2], np.int64)
    channel_axis = const('channel_axis', [1], np.int64)
    frame = node('Squeeze', ['frame', time_axis], 'frame2d')
    bits = node('Sub', [node('Mul', ['data', const('two', 2.0)], 'data2'), const('one', 1.0)], 'signs')
    bits = node('Unsqueeze', [bits, const('pixel_axes', [2, 3], np.int64)], 'signs4d')
    a = batch_norm(node('Tanh', [layer_conv(frame, '_attention.0', 'att1')], 'att1_tanh'), '_attention.2', 'att1_bn')
    a = node('Tanh', [layer_conv(a, '_attention.3', 'att2', ATTENTION_RANK)], 'att2_tanh')
    e = node('Exp', [batch_norm(a, '_attention.5', 'att2_bn')], 'att_exp')
    weighted = node('ReduceSum', [node('Mul', [e, bits], 'att_signed'), channel_axis], 'att_num', keepdims=1)
    x = node('Div', [weighted, node('ReduceSum', [e, channel_axis], 'att_den', keepdims=1)], 'att_bits')
    x = node('Concat', [frame, x], 'frame_bits', axis=1)
    h = batch_norm(node('Tanh', [layer_conv(x, '_conv.0', 'res1')], 'res1_tanh'), '_conv.2', 'res1_bn')
    r = node('Tanh', [layer_conv(h, '_conv.3', 'res2', LAST_RANK)], 'res2_tanh')
    r = node('Unsqueeze', [node('Mul', [r, const('linf_max', 0.016)], 'residual2d'), time_axis], 'residual')
    node('Add', ['frame', r], 'output')
    tile = ['batch_size', 3, 1, 'height', 'width']
    graph = helper.make_graph(nodes, 'rivagan_encoder', [
        helper.make_tensor_value_info('frame', TensorProto.FLOAT, tile),
        helper.make_tensor_value_info('data', TensorProto.FLOAT, ['batch_size', 'wmBits']),
    ], [helper.make_tensor_value_info('output', TensorProto.FLOAT, tile)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def tiles(path):
    """rgb24 256x144 frames -> the 8 tiles of each (4 columns x 2 rows of 64x72), [-1, 1], as the product cuts them."""
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
    with tempfile.TemporaryDirectory() as tmp:
        float_model = os.path.join(tmp, 'encoder-float.onnx')
        onnx.save(build(src), float_model)
        quantize_static(float_model, dst, Frames([t for p in calib for t in tiles(p)]), quant_format=QuantFormat.QDQ,
                        op_types_to_quantize=['Conv'], per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8)


if __name__ == '__main__':
    main()
