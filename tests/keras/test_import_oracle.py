"""blnk import-keras against an independent numpy forward pass (keras_oracle.py):
the seed's own DigitOCR.h5 (skipped without ../shared) and small Keras-2-layout
files written here with other layers, paddings, strides, activations, a
Functional chain, float64 weights and Keras 3 weight names, and Functional models
with residual blocks, BatchNormalization, average pooling and Rescaling. Logits and
probabilities must agree within 1e-5 on random inputs (the issue's floor is 1e-4)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_oracle as ko  # noqa: E402

TOLERANCE = 1e-5
SAMPLES = 12


def compare(args, checks, name, h5, input_shape, seed, keras_scale=1.0):
    """keras_scale: what Keras's input is in units of blnk's (255 for a model that starts
    with a Rescaling: Keras takes pixels in [0, 255], blnk in [0, 1])."""
    import numpy as np
    model = os.path.join(args.work, name + ".blnk")
    r = ko.run([args.blnk, "import-keras", h5, "--out", model])
    checks.check(r.returncode == 0, "%s: blnk import-keras exits 0 (%s)" % (name, (r.stderr or r.stdout).strip()))
    if r.returncode != 0:
        return
    layers, weights = ko.read_keras_h5(h5)
    x = np.random.default_rng(seed).random((SAMPLES,) + tuple(input_shape))
    logits, probs = ko.forward_numpy(layers, weights, x * keras_scale)
    classes = logits.shape[1]
    blnk_logits, blnk_probs = ko.blnk_forward(args.tool, model, x, classes, args.work)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    softmax = e / e.sum(axis=1, keepdims=True)
    scale = max(1.0, float(np.abs(logits).max()))
    logit_error = float(np.abs(blnk_logits - logits).max()) / scale
    prob_error = float(np.abs(blnk_probs - softmax).max())
    checks.check(logit_error <= TOLERANCE,
                 "%s: logits agree, largest difference %.2e of max(1, largest logit %.3g)" % (name, logit_error, scale))
    checks.check(prob_error <= TOLERANCE, "%s: probabilities agree, largest difference %.2e" % (name, prob_error))


def conv(name, filters, kernel, strides=(1, 1), padding="valid", activation="relu", use_bias=True, **extra):
    cfg = {"name": name, "filters": filters, "kernel_size": list(kernel), "strides": list(strides),
           "padding": padding, "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
           "activation": activation, "use_bias": use_bias}
    cfg.update(extra)
    return ("Conv2D", cfg)


def dense(name, units, activation, use_bias=True):
    return ("Dense", {"name": name, "units": units, "activation": activation, "use_bias": use_bias})


def random_weights(layers, input_shape, seed, scaled=False):
    """Weights of the shapes Keras would give these layers, from a seeded normal (bn: a
    gamma around 1, moving statistics of a trained network's size). scaled: kernels of
    standard deviation 1 / sqrt(fan-in), so that a deep model's logits stay a few units
    and its probabilities are not all 0 or 1."""
    import numpy as np
    rng = np.random.default_rng(seed)
    weights, values, previous = {}, {}, None
    for entry in layers:
        cls, cfg = entry[0], entry[1]
        inputs = entry[2] if len(entry) > 2 else ([previous] if previous else [])
        xs = [values[n] for n in inputs] or [np.zeros((1,) + tuple(input_shape))]
        fan_in = xs[0].shape[-1]
        if cls == "Conv2D":
            k = ko._pair(cfg["kernel_size"])
            std = 1 / np.sqrt(k[0] * k[1] * fan_in) if scaled else 0.4
            w = {"kernel": rng.normal(0, std, k + (fan_in, cfg["filters"]))}
            if cfg["use_bias"]:
                w["bias"] = rng.normal(0, 0.2, cfg["filters"])
            weights[cfg["name"]] = w
        elif cls == "Dense":
            inputs = int(np.prod(xs[0].shape[1:]))
            w = {"kernel": rng.normal(0, 1 / np.sqrt(inputs) if scaled else 0.3, (inputs, cfg["units"]))}
            if cfg["use_bias"]:
                w["bias"] = rng.normal(0, 0.2, cfg["units"])
            weights[cfg["name"]] = w
        elif cls == "BatchNormalization":
            w = {}
            if cfg.get("scale", True):
                w["gamma"] = rng.uniform(0.5, 1.5, fan_in)
            if cfg.get("center", True):
                w["beta"] = rng.normal(0, 0.3, fan_in)
            w["moving_mean"] = rng.normal(0, 0.5, fan_in)
            w["moving_variance"] = rng.uniform(0.05, 2.0, fan_in)
            weights[cfg["name"]] = w
        # The shape after this layer, from the oracle itself.
        values[cfg["name"]], _ = ko.layer_forward(cls, cfg, weights.get(cfg["name"], {}), xs)
        previous = cfg["name"]
    return weights


def generated_models():
    pool = lambda name, size, strides, padding: ("MaxPooling2D", {  # noqa: E731
        "name": name, "pool_size": list(size), "strides": strides, "padding": padding, "data_format": "channels_last"})
    drop = lambda name: ("Dropout", {"name": name, "rate": 0.3})  # noqa: E731
    flat = lambda name: ("Flatten", {"name": name, "data_format": "channels_last"})  # noqa: E731
    return [
        # A Functional chain: odd sizes, same padding with strides (asymmetric padding), no bias.
        ("functional-chain", (13, 11, 3), dict(functional=True), [
            ("InputLayer", {"name": "image", "batch_input_shape": [None, 13, 11, 3]}),
            conv("c1", 5, (3, 2), (2, 1), "same"),
            pool("p1", (3, 3), [2, 2], "same"),
            conv("c2", 4, (1, 1), activation="linear", use_bias=False),
            flat("f"), dense("d1", 7, "relu"), drop("x"), dense("out", 3, "softmax")]),
        # Winograd's path (3x3 stride 1 over several channels), pooling with stride 1,
        # an Activation layer, a final softmax as its own layer, float64 weights.
        ("winograd-activation", (9, 9, 2), dict(dtype="float64"), [
            ("InputLayer", {"name": "input_1", "batch_input_shape": [None, 9, 9, 2]}),
            conv("conv2d", 6, (3, 3), activation="linear"), ("Activation", {"name": "act", "activation": "relu"}),
            pool("max_pooling2d", (2, 2), [1, 1], "valid"),
            conv("conv2d_1", 5, (5, 5), padding="same"), flat("flatten"), dense("dense", 4, "linear"),
            ("Activation", {"name": "softmax", "activation": "softmax"})]),
        # No InputLayer (the shape on the first layer), Dense only, Keras 3 weight names.
        ("dense-only-keras3-names", (1, 1, 20), dict(weight_suffix=""), [
            ("Dense", {"name": "hidden", "units": 16, "activation": "relu", "use_bias": True,
                       "batch_input_shape": [None, 20]}),
            dense("logits", 5, "linear")]),
    ]


def bn(name, **extra):
    cfg = {"name": name, "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True}
    cfg.update(extra)
    return ("BatchNormalization", cfg)


def relu(name):
    return ("ReLU", {"name": name, "max_value": None, "negative_slope": 0.0, "threshold": 0.0})


def residual_block(name, source, filters, stride, shortcut_conv, block_eps=0.001):
    """A ResNet basic block as Keras's functional API writes it: conv, bn, relu, conv, bn,
    the input or a 1x1 conv + bn, Add, ReLU. (layers, the name of its output)."""
    p = lambda part: name + "_" + part  # noqa: E731
    layers = [
        conv(p("conv1"), filters, (3, 3), (stride, stride), "same", "linear", use_bias=False) + ([source],),
        bn(p("bn1")) + ([p("conv1")],),
        relu(p("relu1")) + ([p("bn1")],),
        conv(p("conv2"), filters, (3, 3), (1, 1), "same", "linear", use_bias=False) + ([p("relu1")],),
        bn(p("bn2"), epsilon=block_eps, center=False) + ([p("conv2")],),
    ]
    added = [p("bn2"), source]
    if shortcut_conv:
        layers += [conv(p("short"), filters, (1, 1), (stride, stride), "valid", "linear") + ([source],),
                   bn(p("short_bn"), scale=False) + ([p("short"),],)]
        added = [p("short_bn"), p("bn2")]  # Keras lists them in either order
    layers += [("Add", {"name": p("add")}, added), ("Activation", {"name": p("out"), "activation": "relu"}, [p("add")])]
    return layers, p("out")


def residual_models():
    """(name, input shape, Keras's input scale, write options, layers) of the Functional
    models with residual blocks: the issue's floor (BatchNormalization, Add,
    GlobalAveragePooling2D), on colour input of odd sizes, starting with Rescaling."""
    first, a = residual_block("block1", "stem_relu", 8, 1, False)
    second, b = residual_block("block2", a, 12, 2, True, block_eps=1.001e-5)
    third, c = residual_block("block3", b, 12, 1, False)
    resnet = ([("InputLayer", {"name": "pixels", "batch_input_shape": [None, 13, 11, 3]}),
               ("Rescaling", {"name": "rescaling", "scale": 1 / 255.0, "offset": 0.0}),
               conv("stem", 8, (3, 3), (1, 1), "same", "linear"), bn("stem_bn"), relu("stem_relu")] +
              first + second + third +
              [("AveragePooling2D", {"name": "avg", "pool_size": [2, 2], "strides": None, "padding": "valid",
                                     "data_format": "channels_last"}, [c]),
               bn("avg_bn", epsilon=1e-5),
               ("GlobalAveragePooling2D", {"name": "gap", "data_format": "channels_last", "keepdims": False}),
               dense("logits", 6, "softmax")])
    # Sequential, with a Rescaling to [-1, 1] (a fixed bn in blnk), pooling with stride 1 and a kept dimension.
    sequential = [
        ("InputLayer", {"name": "in", "batch_input_shape": [None, 10, 12, 3]}),
        ("Rescaling", {"name": "to_pm1", "scale": 1 / 127.5, "offset": -1.0}),
        conv("c", 6, (3, 3), (1, 1), "same", "linear"), bn("c_bn", momentum=0.9), ("Activation", {"name": "a", "activation": "relu"}),
        ("AveragePooling2D", {"name": "avg", "pool_size": [3, 2], "strides": [1, 2], "padding": "valid",
                              "data_format": "channels_last"}),
        ("GlobalAveragePooling2D", {"name": "gap", "data_format": "channels_last", "keepdims": True}),
        dense("out", 4, "linear")]
    return [("functional-resnet", (13, 11, 3), 255.0, dict(functional=True), resnet),
            ("sequential-rescaling-bn", (10, 12, 3), 255.0, {}, sequential)]


def main():
    args = ko.options()
    ko.require_modules()
    checks = ko.Checks()
    seed_h5 = os.path.join(args.shared, "seed", "DigitOCR.h5")
    if os.path.exists(seed_h5):
        compare(args, checks, "seed DigitOCR.h5", seed_h5, (28, 28, 1), 1)
    else:
        print("note: %s is absent: the seed's model is not compared" % seed_h5)
    for i, (name, shape, write_options, layers) in enumerate(generated_models()):
        h5 = os.path.join(args.work, name + ".h5")
        ko.write_keras_h5(h5, layers, random_weights(layers, shape, 100 + i), **write_options)
        compare(args, checks, name, h5, shape, 10 + i)
    for i, (name, shape, keras_scale, write_options, layers) in enumerate(residual_models()):
        h5 = os.path.join(args.work, name + ".h5")
        ko.write_keras_h5(h5, layers, random_weights(layers, shape, 200 + i, scaled=True), **write_options)
        compare(args, checks, name, h5, shape, 20 + i, keras_scale)
    checks.finish()


if __name__ == "__main__":
    main()
