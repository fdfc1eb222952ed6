"""blnk import-keras against an independent numpy forward pass (keras_oracle.py):
the seed's own DigitOCR.h5 (skipped without ../shared) and small Keras-2-layout
files written here with other layers, paddings, strides, activations, a
Functional chain, float64 weights and Keras 3 weight names. Logits and
probabilities must agree within 1e-5 on random inputs."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_oracle as ko  # noqa: E402

TOLERANCE = 1e-5
SAMPLES = 12


def compare(args, checks, name, h5, input_shape, seed):
    import numpy as np
    model = os.path.join(args.work, name + ".blnk")
    r = ko.run([args.blnk, "import-keras", h5, "--out", model])
    checks.check(r.returncode == 0, "%s: blnk import-keras exits 0 (%s)" % (name, (r.stderr or r.stdout).strip()))
    if r.returncode != 0:
        return
    layers, weights = ko.read_keras_h5(h5)
    x = np.random.default_rng(seed).random((SAMPLES,) + tuple(input_shape))
    logits, probs = ko.forward_numpy(layers, weights, x)
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


def random_weights(layers, input_shape, seed):
    """Weights of the shapes Keras would give these layers, from a seeded normal."""
    import numpy as np
    rng = np.random.default_rng(seed)
    weights, shape = {}, tuple(input_shape)
    for cls, cfg in layers:
        if cls == "Conv2D":
            k = ko._pair(cfg["kernel_size"])
            w = {"kernel": rng.normal(0, 0.4, k + (shape[2], cfg["filters"]))}
            if cfg["use_bias"]:
                w["bias"] = rng.normal(0, 0.2, cfg["filters"])
            weights[cfg["name"]] = w
        elif cls == "Dense":
            w = {"kernel": rng.normal(0, 0.3, (int(np.prod(shape)), cfg["units"]))}
            if cfg["use_bias"]:
                w["bias"] = rng.normal(0, 0.2, cfg["units"])
            weights[cfg["name"]] = w
        if cls not in ("InputLayer",):  # the shape after this layer, from the oracle itself
            _, out = ko.forward_numpy([(cls, cfg)], weights, np.zeros((1,) + shape))
            shape = out.shape[1:]
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
    checks.finish()


if __name__ == "__main__":
    main()
