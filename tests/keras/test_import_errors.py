"""blnk import-keras on bad input: every case must exit 1 (2 for usage errors)
with a message naming the file and the problem, and never crash (a signal, or an
exit status other than 1 or 2). Files are derived from the seed's DigitOCR.h5
(skipped without ../shared), from a Functional model with residual blocks written
here, and from small files written here."""

import json
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_oracle as ko  # noqa: E402

CORRUPTIONS = 24  # random byte overwrites in the file's first 4 KiB (its HDF5 structure)


def expect_error(args, checks, what, path, *needles, status=1, extra=()):
    out = os.path.join(args.work, "out.blnk")
    if os.path.exists(out):
        os.remove(out)
    r = ko.run([args.blnk, "import-keras", path, "--out", out] + list(extra))
    message = r.stderr.strip()
    ok = r.returncode == status and all(n in message for n in needles) and not os.path.exists(out)
    checks.check(ok, "%s: exit %d (want %d), message: %s" % (what, r.returncode, status, message))


def edited_copy(args, name, source, edit):
    import h5py
    path = os.path.join(args.work, name + ".h5")
    shutil.copyfile(source, path)
    with h5py.File(path, "r+") as f:
        edit(f)
    return path


def with_config(f, change):
    config = json.loads(f.attrs["model_config"])
    change(config["config"]["layers"])
    f.attrs["model_config"] = json.dumps(config).encode()


def layer(layers, name):
    return next(l for l in layers if l["config"]["name"] == name)


def config_cases(args, checks, seed):
    def set_(name, **values):
        return lambda layers: layer(layers, name)["config"].update(values)

    cases = [
        ("another activation", set_("dense", activation="tanh"), ["layer 'dense' (Dense)", "activation 'tanh'"]),
        ("channels_first", set_("conv2d_1", data_format="channels_first"),
         ["layer 'conv2d_1' (Conv2D)", "channels_first"]),
        ("dilation", set_("conv2d", dilation_rate=[2, 2]), ["layer 'conv2d' (Conv2D)", "dilation_rate"]),
        ("softmax inside", set_("dense", activation="softmax"), ["layer 'dense'", "last layer only"]),
        ("another layer kind",
         lambda layers: layer(layers, "dropout").update(class_name="LayerNormalization"),
         ["layer 'dropout' (LayerNormalization)", "not supported"]),
        ("config disagrees with a kernel", set_("conv2d", filters=33),
         ["layer 'conv2d' (Conv2D)", "kernel:0' has shape (3, 3, 1, 32), but the config makes it (3, 3, 1, 33)"]),
        ("use_bias false but a bias stored", set_("dense_1", use_bias=False), ["layer 'dense_1'", "use_bias"]),
        ("Dense on an unflattened input", lambda layers: layers.remove(layer(layers, "flatten")),
         ["layer 'dense' (Dense)", "flat input"]),
    ]
    for what, change, needles in cases:
        path = edited_copy(args, what.replace(" ", "-"), seed, lambda f: with_config(f, change))
        expect_error(args, checks, what, path, path, *needles)

    def replace(name, data):
        def edit(f):
            del f[name]
            f.create_dataset(name, data=data)
        return edit

    import numpy as np
    dense_bias = "model_weights/dense/dense/bias:0"
    file_cases = [
        ("missing dataset", lambda f: f.__delitem__(dense_bias), ["dataset /" + dense_bias + " is missing"]),
        ("missing weights group", lambda f: f.__delitem__("model_weights/conv2d_1"),
         ["layer 'conv2d_1'", "/model_weights/conv2d_1 is missing"]),
        ("shape disagrees with the config", replace(dense_bias, np.zeros(127, np.float32)),
         ["layer 'dense' (Dense)", "has shape (127,), but the config makes it (128,)"]),
        ("integers instead of floats", replace(dense_bias, np.zeros(128, np.int32)),
         ["does not hold floating-point numbers"]),
        ("a NaN weight", replace(dense_bias, np.full(128, np.nan, np.float32)), ["not finite"]),
        ("no model_config (save_weights)", lambda f: f.attrs.__delitem__("model_config"), ["no model_config"]),
        ("model_config not JSON", lambda f: f.attrs.__setitem__("model_config", b"{\"class_name\": "),
         ["not valid JSON"]),
        ("a branch that is not a residual block", residual,
         ["layer 'dropout_3' (Dropout)", "inside a branch from 'dense'", "only as a residual block"]),
    ]
    for what, edit, needles in file_cases:
        path = edited_copy(args, what.replace(" ", "-"), seed, edit)
        expect_error(args, checks, what, path, path, *needles)


def residual(f):
    """The seed's layers as a Functional model whose last layer reads two layers back."""
    config = json.loads(f.attrs["model_config"])
    layers, previous = config["config"]["layers"], None
    for l in layers:
        l["name"] = l["config"]["name"]
        l["inbound_nodes"] = [] if previous is None else [[[previous, 0, 0, {}]]]
        previous = l["name"]
    layers[-1]["inbound_nodes"] = [[["dense", 0, 0, {}]]]
    config = {"class_name": "Functional", "config": {
        "name": "model", "layers": layers, "input_layers": [[layers[0]["name"], 0, 0]],
        "output_layers": [[previous, 0, 0]]}}
    f.attrs["model_config"] = json.dumps(config).encode()


def residual_cases(args, checks):
    """A Functional model with residual blocks (test_import_oracle.py's), each case one
    edit of it: a layer blnk has not, a graph that is not a residual block, shapes that do
    not fit, weights that do not fit."""
    import numpy as np
    import test_import_oracle as oracle
    name, shape, _, options, layers = oracle.residual_models()[0]
    source = os.path.join(args.work, name + ".h5")
    ko.write_keras_h5(source, layers, oracle.random_weights(layers, shape, 5, scaled=True), **options)

    def config_edit(change):
        return lambda f: with_config(f, change)

    def set_class(layer_name, cls):
        return config_edit(lambda layers: next(l for l in layers if l["name"] == layer_name).update(class_name=cls))

    def identity_shortcut(layers):
        """block2 (stride 2, 8 -> 12 channels) adding its input instead of the 1x1 conv + bn."""
        layers[:] = [l for l in layers if l["name"] not in ("block2_short", "block2_short_bn")]
        next(l for l in layers if l["name"] == "block2_add")["inbound_nodes"] = [
            [["block2_bn2", 0, 0, {}], ["block1_out", 0, 0, {}]]]

    def output_add(f):
        """The model ends at block3's Add: its ReLU and what follows are gone."""
        config = json.loads(f.attrs["model_config"])
        layers = config["config"]["layers"]
        layers[:] = [l for l in layers if l["name"] not in ("block3_out", "avg", "avg_bn", "gap", "logits")]
        config["config"]["output_layers"] = [["block3_add", 0, 0]]
        f.attrs["model_config"] = json.dumps(config).encode()

    def replace(dataset, data):
        def edit(f):
            del f[dataset]
            f.create_dataset(dataset, data=data)
        return edit

    def drop_weight(group, weight):
        def edit(f):
            g = f["model_weights/" + group]
            names = [n.decode() if isinstance(n, bytes) else n for n in g.attrs["weight_names"]]
            g.attrs["weight_names"] = [n.encode() for n in names if weight not in n]
        return edit

    variance = "model_weights/block2_bn2/block2_bn2/moving_variance:0"
    cases = [
        ("an unsupported layer in a residual block", set_class("block1_bn1", "LayerNormalization"),
         ["layer 'block1_add' (Add): adds", "block1_bn1 (LayerNormalization)", "only as a residual block"]),
        ("branches joined by Concatenate", set_class("block1_add", "Concatenate"),
         ["layer 'block1_add' (Concatenate): joins the branches from 'stem_relu'"]),
        ("a block ending without a ReLU", output_add, ["layer 'block3_add' (Add): is not followed by one ReLU"]),
        ("a stride-2 block adding its input", config_edit(identity_shortcut),
         ["layer 'block2_add' (Add): adds the block's input 'block1_out' (13x11x8)", "the shapes differ"]),
        ("a block's bn statistic of another shape",
         replace("model_weights/block2_bn2/block2_bn2/moving_mean:0", np.zeros(11, np.float32)),
         ["layer 'block2_bn2' (BatchNormalization)", "has shape (11,), but the config makes it (12,)"]),
        ("a bn without its moving variance", drop_weight("avg_bn", "moving_variance"),
         ["layer 'avg_bn' (BatchNormalization): weight 'moving_variance' is missing from the file"]),
        ("a negative moving variance", replace(variance, -np.ones(12, np.float32)),
         ["dataset /" + variance + " holds a negative variance"]),
        ("a Rescaling per channel",
         config_edit(lambda layers: next(l for l in layers if l["name"] == "rescaling")["config"].update(scale=[1, 2, 3])),
         ["layer 'rescaling' (Rescaling): a scale per channel is not supported"]),
    ]
    for what, edit, needles in cases:
        path = edited_copy(args, what.replace(" ", "-"), source, edit)
        expect_error(args, checks, what, path, path, *needles)


def damaged_files(args, checks, seed):
    data = open(seed, "rb").read()
    for cut in (0, 7, 100, 2048, len(data) // 2, len(data) - 1):
        path = os.path.join(args.work, "truncated-%d.h5" % cut)
        open(path, "wb").write(data[:cut])
        needle = "empty" if cut == 0 else ("not an HDF5 file" if cut < 8 else "truncated or corrupted")
        expect_error(args, checks, "truncated to %d bytes" % cut, path, path, needle)
    rng = random.Random(15)
    crashes = []
    for i in range(CORRUPTIONS):
        damaged = bytearray(data)
        for _ in range(8):
            damaged[rng.randrange(8, 4096)] = rng.randrange(256)
        path = os.path.join(args.work, "corrupt-%d.h5" % i)
        open(path, "wb").write(bytes(damaged))
        r = ko.run([args.blnk, "import-keras", path, "--out", os.path.join(args.work, "corrupt.blnk")])
        if r.returncode not in (0, 1) or (r.returncode == 1 and path not in r.stderr):
            crashes.append("%s: exit %d %s" % (path, r.returncode, r.stderr.strip()[-300:]))
    checks.check(not crashes, "%d files with overwritten HDF5 structure: each imports or is refused "
                 "naming the file, none crashes %s" % (CORRUPTIONS, crashes))


def main():
    args = ko.options()
    ko.require_modules()
    checks = ko.Checks()
    missing = os.path.join(args.work, "no-such-file.h5")
    expect_error(args, checks, "a missing file", missing, missing)
    text = os.path.join(args.work, "text.h5")
    open(text, "w").write("not a model\n")
    expect_error(args, checks, "a text file", text, text, "not an HDF5 file")
    archive = os.path.join(args.work, "model.keras")
    open(archive, "wb").write(b"PK\x03\x04" + bytes(60))
    expect_error(args, checks, "a Keras 3 .keras archive", archive, archive, ".keras", "not supported", "model.h5")
    r = ko.run([args.blnk, "import-keras", text])
    checks.check(r.returncode == 2 and "--out" in r.stderr, "no --out: a usage error (exit %d): %s" % (r.returncode, r.stderr.strip()))
    residual_cases(args, checks)
    seed = os.path.join(args.shared, "seed", "DigitOCR.h5")
    if not os.path.exists(seed):
        checks.finish() if checks.failed else ko.skip(seed + " is absent")
    config_cases(args, checks, seed)
    damaged_files(args, checks, seed)
    checks.finish()


if __name__ == "__main__":
    main()
