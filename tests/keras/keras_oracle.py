"""What the Keras tests share: their options, skipping, a writer of Keras-2-layout
.h5 files (h5py), an independent numpy forward pass over such a file, and the
seed's preprocessing in numpy + Pillow. Nothing here comes from blnk: these are
the oracles blnk is compared with.

Run with /usr/bin/python3 (Debian python3-h5py, python3-numpy, python3-pil)."""

import argparse
import json
import os
import subprocess
import sys

SKIP = 77


def options():
    p = argparse.ArgumentParser()
    p.add_argument("--blnk", required=True)
    p.add_argument("--tool", required=True)
    p.add_argument("--shared", required=True, help="the shared folder (seed/ and data/)")
    p.add_argument("--work", required=True, help="a scratch folder")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    return args


def skip(why):
    print("SKIP: " + why)
    sys.exit(SKIP)


def require_modules():
    try:
        import h5py  # noqa: F401
        import numpy  # noqa: F401
        import PIL  # noqa: F401
    except ImportError as e:
        skip("%s (install python3-h5py python3-numpy python3-pil)" % e)


class Checks:
    """Counts failed checks; every check prints what it compared."""

    def __init__(self):
        self.failed = 0
        self.count = 0

    def check(self, ok, what):
        self.count += 1
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failed += 1

    def finish(self):
        print("%d checks, %d failed" % (self.count, self.failed))
        sys.exit(1 if self.failed else 0)


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace")


# --- Keras-2-layout files -------------------------------------------------------

def write_keras_h5(path, layers, weights, functional=False, weight_suffix=":0", dtype="float32"):
    """layers: [(class_name, config)] or [(class_name, config, [input layer names])] in
    order, each config with its "name" (without inputs: the layer before; the last layer is
    the output); weights: {layer name: {"kernel": array, "bias": array, ...}}. Written as
    Keras 2.12's model.save("x.h5") lays it out (model_config, model_weights/<layer>/<layer>/kernel:0)."""
    import h5py
    import numpy as np
    if functional:
        entries, previous = [], None
        for entry in layers:
            cls, cfg = entry[0], entry[1]
            inputs = entry[2] if len(entry) > 2 else ([] if previous is None else [previous])
            inbound = [[[name, 0, 0, {}] for name in inputs]] if inputs else []
            entries.append({"class_name": cls, "config": cfg, "name": cfg["name"], "inbound_nodes": inbound})
            previous = cfg["name"]
        config = {"class_name": "Functional", "config": {
            "name": "model", "layers": entries,
            "input_layers": [[layers[0][1]["name"], 0, 0]], "output_layers": [[previous, 0, 0]]}}
    else:
        config = {"class_name": "Sequential", "config": {
            "name": "sequential", "layers": [{"class_name": e[0], "config": e[1]} for e in layers]}}
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.12.0"
        f.attrs["model_config"] = json.dumps(config)
        g = f.create_group("model_weights")
        names = [e[1]["name"] for e in layers if e[0] != "InputLayer"]
        g.attrs["layer_names"] = [n.encode() for n in names]
        for name in names:
            lg = g.create_group(name)
            stored = [name + "/" + k + weight_suffix for k in weights.get(name, {})]
            lg.attrs["weight_names"] = [s.encode() for s in stored]
            for s, k in zip(stored, weights.get(name, {})):
                lg.create_dataset(s, data=np.asarray(weights[name][k], dtype=dtype))


def read_keras_h5(path):
    """The model_config's layers as (class_name, config, input names or None for a
    Sequential model) and every layer's weights, read with h5py."""
    import h5py
    import numpy as np
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["model_config"])
        weights = {}
        for name, group in f["model_weights"].items():
            stored = [n.decode() if isinstance(n, bytes) else n for n in group.attrs.get("weight_names", [])]
            weights[name] = {s.split("/")[-1].split(":")[0]: np.array(group[s], dtype=np.float64) for s in stored}
    layers = config["config"]["layers"]
    functional = config["class_name"] in ("Functional", "Model")
    inputs = lambda l: [n[0] for node in l.get("inbound_nodes", []) for n in node] if functional else None  # noqa: E731
    return [(l["class_name"], l["config"], inputs(l)) for l in layers], weights


def _pad_same(x, kernel, strides, value):
    import numpy as np
    pads = []
    for size, k, s in zip(x.shape[1:3], kernel, strides):
        out = -(-size // s)
        total = max((out - 1) * s + k - size, 0)
        pads.append((total // 2, total - total // 2))
    return np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=value)


def _windows(x, kernel, strides, padding, value):
    """(kernel offset, the strided slice it reads) for every offset of the window."""
    if padding == "same":
        x = _pad_same(x, kernel, strides, value)
    oh = (x.shape[1] - kernel[0]) // strides[0] + 1
    ow = (x.shape[2] - kernel[1]) // strides[1] + 1
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            yield i, j, x[:, i:i + strides[0] * (oh - 1) + 1:strides[0], j:j + strides[1] * (ow - 1) + 1:strides[1], :]


def _pair(v):
    return tuple(v) if isinstance(v, (list, tuple)) else (v, v)


def _activate(x, name):
    import numpy as np
    if name == "relu":
        return np.maximum(x, 0)
    if name == "softmax":
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    assert name in (None, "linear"), name
    return x


def layer_forward(cls, cfg, w, xs):
    """One Keras layer's inference in float64 on its inputs xs: (output, its
    pre-activation when it is a weighted or activation step, else None)."""
    import numpy as np
    x = xs[0]
    if cls in ("InputLayer", "Dropout"):
        return x, None
    if cls == "Conv2D":
        k = w["kernel"]
        out = None
        for i, j, patch in _windows(x, k.shape[:2], _pair(cfg.get("strides", 1)), cfg["padding"], 0.0):
            term = patch @ k[i, j]
            out = term if out is None else out + term
        before = out + w.get("bias", 0.0)
        return _activate(before, cfg.get("activation")), before
    if cls in ("MaxPooling2D", "AveragePooling2D"):
        pool = _pair(cfg["pool_size"])
        strides = _pair(cfg.get("strides") or pool)
        taps = [p for _, _, p in _windows(x, pool, strides, cfg["padding"], -np.inf)]
        return (np.max(taps, axis=0) if cls == "MaxPooling2D" else np.mean(taps, axis=0)), None
    if cls == "GlobalAveragePooling2D":
        return x.mean(axis=(1, 2), keepdims=bool(cfg.get("keepdims", False))), None
    if cls == "BatchNormalization":
        gamma, beta = w.get("gamma", 1.0), w.get("beta", 0.0)
        return (x - w["moving_mean"]) / np.sqrt(w["moving_variance"] + cfg.get("epsilon", 1e-3)) * gamma + beta, None
    if cls == "Rescaling":
        return x * cfg.get("scale", 1.0) + cfg.get("offset", 0.0), None
    if cls == "Add":
        return sum(xs), None
    if cls == "Flatten":
        return x.reshape(x.shape[0], -1), None
    if cls == "Dense":
        before = x.reshape(x.shape[0], -1) @ w["kernel"] + w.get("bias", 0.0)
        return _activate(before, cfg.get("activation")), before
    if cls == "ReLU":
        return np.maximum(x, 0), x
    if cls == "Activation":
        return _activate(x, cfg["activation"]), (x if cfg["activation"] != "softmax" else None)
    raise ValueError("the oracle has no " + cls)


def forward_numpy(layers, weights, x):
    """Keras's inference in float64 over NHWC input x, layer by layer in the config's
    order (each reads the layers it names, or the one before): (pre-activation of the
    last weighted or activation step, the model's output: the last layer's)."""
    import numpy as np
    values, previous = {}, None
    before = x = np.asarray(x, dtype=np.float64)
    for entry in layers:
        cls, cfg = entry[0], entry[1]
        inputs = entry[2] if len(entry) > 2 and entry[2] else ([previous] if previous else [])
        out, pre = layer_forward(cls, cfg, weights.get(cfg["name"], {}), [values[n] for n in inputs] or [x])
        values[cfg["name"]] = out
        previous = cfg["name"]
        if pre is not None:
            before = pre
    return before, values[previous]


def blnk_forward(tool, model, x, classes, work):
    """blnk's logits and probabilities for x through tests/keras/tools/keras_tool.cpp."""
    import numpy as np
    x = np.ascontiguousarray(x, dtype=np.float32)
    src, dst = os.path.join(work, "in.f32"), os.path.join(work, "out.f32")
    x.tofile(src)
    r = run([tool, "forward", model, src, dst])
    if r.returncode != 0:
        raise RuntimeError("keras_tool forward failed: " + r.stderr)
    out = np.fromfile(dst, dtype=np.float32).reshape(2, x.shape[0], classes)
    return out[0], out[1]


# --- The seed's preprocessing -----------------------------------------------------

def opencv_bgra_to_gray(img):
    """cv2.cvtColor(img, cv2.COLOR_BGRA2GRAY) for 8-bit arrays: OpenCV 4's 15-bit fixed
    point, with blue's weight on channel 0 (checked against cv2 where it is installed)."""
    img = img.astype("int64")
    return (3735 * img[..., 0] + 19235 * img[..., 1] + 9798 * img[..., 2] + (1 << 14)) >> 15


def seed_gray_numpy(path):
    """views.py's makepredictions() first steps with Pillow: resize((28, 28)), then the
    BGRA-to-gray conversion; where the seed crashed (it needs 4 channels), the
    conversion blnk documents: RGB takes the same swapped weights, gray (+ alpha) is its own gray."""
    import numpy as np
    from PIL import Image
    img = Image.open(path)
    if img.mode == "P":  # the seed resized palette indices, then crashed: read the colours
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    img = np.array(img.resize((28, 28))).astype(np.int64)
    if img.ndim == 3 and img.shape[2] >= 3:
        return opencv_bgra_to_gray(img).astype(np.uint8)
    return (img[..., 0] if img.ndim == 3 else img).astype(np.uint8)


def seed_preprocess_numpy(path):
    """All of makepredictions()'s steps before the model: the gray above, then scikit-image's stretch."""
    import numpy as np
    img = seed_gray_numpy(path) / 255.0  # rescale_intensity(in_range=(0, 255), out_range=(0, 1))
    p10, p90 = np.percentile(img, (10, 90))
    img = np.clip(img, p10, p90)  # rescale_intensity(in_range=(p10, p90)), scikit-image 0.19+
    if p10 != p90:
        img = (img - p10) / (p90 - p10)
    return np.where(img < 0.45, 0, 1).astype(np.float32)


def blnk_seed_preprocess(tool, paths, work, gray=False):
    """data::seed_preprocess of each image (or with gray=True its resized gray) via keras_tool."""
    import numpy as np
    out = os.path.join(work, "seed.out")
    r = run([tool, "seed-gray" if gray else "seed-preprocess", out] + list(paths))
    if r.returncode != 0:
        raise RuntimeError("keras_tool failed: " + r.stderr)
    return np.fromfile(out, dtype=np.uint8 if gray else np.float32).reshape(len(paths), 28, 28)
