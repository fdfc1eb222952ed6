"""The blnk module without MNIST: loading, shapes and dtypes, errors, the reader,
and blnk.train against `blnk train` on a small synthetic set."""
import os
import re
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import blnk
from conftest import write_idx

SMALL_SPEC = "conv4,pool,flatten,dense10"


@pytest.fixture(scope="module")
def model():
    return blnk.Model(blnk.bundled_model, threads=2)


def digits(n, seed):
    """n synthetic 28x28 uint8 'digits' (a bright bar whose position is the label) and labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    x = (rng.random((n, 28, 28)) * 40).astype(np.uint8)
    for i, k in enumerate(labels):
        x[i, 4 + 2 * k: 6 + 2 * k, 6:22] = 255
    return x, labels


def test_predict_proba_gives_float32_probabilities_for_uint8_and_float32(model):
    x, _ = digits(64, 1)
    p8 = model.predict_proba(x)
    pf = model.predict_proba(x.astype(np.float32) * np.float32(1 / 255))
    assert p8.shape == (64, 10) and p8.dtype == np.float32
    assert np.allclose(p8.sum(axis=1), 1, atol=1e-5)
    assert np.abs(p8 - pf).max() <= 1e-5
    assert np.array_equal(model.predict(x), p8.argmax(axis=1))


def test_a_strided_view_gives_what_its_contiguous_copy_gives(model):
    x, _ = digits(40, 2)
    view = x[::2]
    assert not view.flags["C_CONTIGUOUS"]
    assert np.array_equal(model.predict_proba(view), model.predict_proba(np.ascontiguousarray(view)))


def test_an_empty_batch_gives_an_empty_result(model):
    assert model.predict_proba(np.zeros((0, 28, 28), np.uint8)).shape == (0, 10)


@pytest.mark.parametrize("bad, words", [
    (np.zeros((2, 27, 28), np.float32), "shape (N, 28, 28)"),
    (np.zeros((28, 28), np.float32), "shape (N, 28, 28)"),
    (np.zeros((2, 1, 28, 28), np.float32), "shape (N, 28, 28)"),
    (np.zeros((2, 28, 28), np.float64), "float64"),
    (np.zeros((2, 28, 28), np.int32), "int32"),
    ([[0.0] * 28] * 28, "numpy array"),
])
def test_arrays_of_another_shape_or_dtype_raise_value_error(model, bad, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        model.predict_proba(bad)


def test_a_missing_or_corrupted_model_file_raises_blnk_error_naming_it(tmp_path):
    with pytest.raises(blnk.Error, match="nothing-here.blnk"):
        blnk.Model(str(tmp_path / "nothing-here.blnk"))
    broken = tmp_path / "broken.blnk"
    data = bytearray(open(blnk.bundled_model, "rb").read())
    data[len(data) // 2] ^= 0xFF
    broken.write_bytes(bytes(data))
    with pytest.raises(blnk.Error, match="broken.blnk.*checksum"):
        blnk.Model(broken)
    assert issubclass(blnk.Error, RuntimeError)


def test_read_gives_every_field_of_the_reading(model, tmp_path):
    import cv2
    x, _ = digits(1, 8)
    path = tmp_path / "bar.png"
    cv2.imwrite(str(path), 255 - x[0])
    r = model.read(path)
    assert set(r) == {"digit", "number", "digits", "probability", "probabilities", "verdict", "reason",
                      "single_digit", "seen_png", "elapsed_ms"}
    assert r["probabilities"].shape == (10,) and r["digit"] == int(r["probabilities"].argmax())
    assert r["verdict"] in ("digit", "uncertain", "not_a_digit")
    assert r["number"] == (None if r["verdict"] == "not_a_digit" else str(r["digit"]))
    assert r["seen_png"].startswith(b"\x89PNG")
    without_gate = blnk.Model(blnk.bundled_model, gate=False).read(path)
    assert without_gate["single_digit"] == -1


def test_read_refuses_what_is_not_an_image(model, tmp_path):
    with pytest.raises(blnk.Error, match="not an image"):
        model.read(b"certainly not a PNG")
    with pytest.raises(blnk.Error, match="missing.png"):
        model.read(str(tmp_path / "missing.png"))
    with pytest.raises(TypeError):
        model.read(42)


def test_read_takes_any_bytes_like_object(model, tmp_path):
    import cv2
    x, _ = digits(1, 8)
    path = tmp_path / "bar.png"
    cv2.imwrite(str(path), 255 - x[0])
    encoded = path.read_bytes()
    want = model.read(encoded)
    # A bytearray (what a socket or an upload buffer gives) gave pybind's type message.
    for given in (bytearray(encoded), memoryview(encoded)):
        r = model.read(given)
        assert r["number"] == want["number"] and r["probability"] == want["probability"]


def test_summary_and_metadata_describe_the_model(model):
    text = model.summary()
    assert "conv2d (Conv2D)" in text and "dense_1 (Dense)" in text
    assert "{:,}".format(model.params().size) in text
    assert model.spec.startswith("conv32")
    assert "test.accuracy" in model.metadata


def train_cli(blnk_bin, tmp_path, x, y, seed, spec, extra=()):
    write_idx(tmp_path / "images.idx", x)
    write_idx(tmp_path / "labels.idx", y)
    out = tmp_path / ("cli-%d%s.blnk" % (seed, "".join(extra)))
    subprocess.run([blnk_bin, "train", "--train-images", str(tmp_path / "images.idx"),
                    "--train-labels", str(tmp_path / "labels.idx"), "--epochs", "2", "--batch-size", "32",
                    "--threads", "2", "--seed", str(seed), "--arch", spec, "--ema", "0.9", "--quiet",
                    "--out", str(out), *extra], check=True)
    return blnk.Model(out)


def test_train_gives_the_bit_identical_model_the_cli_gives(blnk_bin, tmp_path):
    x, y = digits(512, 3)
    cli = train_cli(blnk_bin, tmp_path, x, y, 5, SMALL_SPEC)
    from_arrays = blnk.train(x, y.astype(np.int64), epochs=2, batch_size=32, threads=2, seed=5, arch=SMALL_SPEC,
                             ema=0.9)
    from_files = blnk.train(str(tmp_path / "images.idx"), str(tmp_path / "labels.idx"), epochs=2, batch_size=32,
                            threads=2, seed=5, arch=SMALL_SPEC, ema=0.9, out=str(tmp_path / "py.blnk"))
    assert np.array_equal(from_arrays.params(), cli.params())
    assert np.array_equal(from_files.params(), cli.params())
    assert os.path.exists(tmp_path / "py.blnk")
    other_seed = blnk.train(x, y, epochs=2, batch_size=32, threads=2, seed=6, arch=SMALL_SPEC, ema=0.9)
    assert not np.array_equal(other_seed.params(), cli.params())
    # It learned something: the bars are easy.
    assert (from_arrays.predict(x) == y).mean() > 0.5


def test_train_in_bf16_gives_the_cli_model_records_its_precision_and_is_not_float32s(blnk_bin, tmp_path):
    # Its second convolution runs in bfloat16 (the first, direct one never does) and so does dense10.
    spec = "conv4,pool,conv8,pool,flatten,dense10"
    x, y = digits(300, 11)
    cli = train_cli(blnk_bin, tmp_path, x, y, 5, spec, ("--precision", "bf16"))
    options = dict(epochs=2, batch_size=32, threads=2, seed=5, arch=spec, ema=0.9)
    bf16 = blnk.train(x, y, precision="bf16", out=str(tmp_path / "py-bf16.blnk"), **options)
    fp32 = blnk.train(x, y, **options)
    assert np.array_equal(bf16.params(), cli.params())
    assert not np.array_equal(fp32.params(), bf16.params())
    assert np.array_equal(fp32.params(), blnk.train(x, y, precision="fp32", **options).params())
    # Recorded as blnk train records it, and shown by blnk summary; float32 records nothing.
    assert bf16.metadata["trained.precision"] == cli.metadata["trained.precision"] == "bf16"
    assert "trained.precision" not in fp32.metadata
    summary = subprocess.run([blnk_bin, "summary", str(tmp_path / "py-bf16.blnk")], check=True,
                             capture_output=True, text=True).stdout
    assert "trained.precision: bf16" in summary.splitlines()


def test_train_refuses_a_precision_it_does_not_know_naming_it_and_the_choices():
    x, y = digits(32, 12)
    for bad in ("fp16", "BF16", ""):
        with pytest.raises(ValueError, match=r"precision: '%s' is not a precision \(fp32 or bf16\)" % bad):
            blnk.train(x, y, epochs=1, arch=SMALL_SPEC, precision=bad)
    with pytest.raises(TypeError):
        blnk.train(x, y, epochs=1, arch=SMALL_SPEC, precision=16)


def test_fine_tuning_with_init_gives_what_the_cli_gives(blnk_bin, tmp_path):
    x, y = digits(256, 6)
    start = blnk.train(x, y, epochs=1, threads=2, arch=SMALL_SPEC, out=str(tmp_path / "start.blnk"))
    write_idx(tmp_path / "images.idx", x[::-1])
    write_idx(tmp_path / "labels.idx", y[::-1])
    subprocess.run([blnk_bin, "train", "--train-images", str(tmp_path / "images.idx"), "--train-labels",
                    str(tmp_path / "labels.idx"), "--epochs", "1", "--threads", "2", "--init",
                    str(tmp_path / "start.blnk"), "--quiet", "--out", str(tmp_path / "tuned.blnk")], check=True)
    tuned = blnk.train(x[::-1], y[::-1], epochs=1, threads=2, init=str(tmp_path / "start.blnk"))
    assert tuned.spec == start.spec
    assert np.array_equal(tuned.params(), blnk.Model(tmp_path / "tuned.blnk").params())
    assert not np.array_equal(tuned.params(), start.params())
    assert tuned.metadata["trained.init"] == str(tmp_path / "start.blnk")


def test_a_folder_of_labelled_images_trains_as_blnk_train_images_does(blnk_bin, tmp_path):
    import cv2
    x, y = digits(120, 7)
    for i, (img, label) in enumerate(zip(x, y)):
        cv2.imwrite(str(tmp_path / ("%d_%03d.png" % (label, i))), 255 - img)
    subprocess.run([blnk_bin, "train", "--images", str(tmp_path), "--epochs", "1", "--threads", "2", "--arch",
                    SMALL_SPEC, "--quiet", "--out", str(tmp_path / "cli.blnk")], check=True)
    from_folder = blnk.train(str(tmp_path), epochs=1, threads=2, arch=SMALL_SPEC)
    assert np.array_equal(from_folder.params(), blnk.Model(tmp_path / "cli.blnk").params())


def test_train_names_a_keyword_it_does_not_know_in_one_line():
    x, y = digits(64, 3)
    # pybind's own message was some 70 lines (every signature, the arrays printed) and
    # never named the keyword.
    with pytest.raises(TypeError) as caught:
        blnk.train(x, y, epoch=1)
    message = str(caught.value)
    assert "'epoch'" in message and "did you mean 'epochs'" in message and "\n" not in message
    with pytest.raises(TypeError, match="'bogus'"):
        blnk.train(x, y, bogus=3)
    assert blnk.train.__doc__.startswith("train(train_images")


def test_train_refuses_bad_data_and_options(tmp_path):
    x, y = digits(64, 4)
    with pytest.raises(ValueError, match="uint8"):
        blnk.train(x.astype(np.float32), y)
    with pytest.raises(ValueError, match="labels"):
        blnk.train(x, y[:10])
    with pytest.raises(ValueError, match="from 0 to 9"):
        blnk.train(x, np.full(64, 10))
    with pytest.raises(ValueError, match="limit"):
        blnk.train(x, y, limit=65)
    with pytest.raises(blnk.Error, match="model spec"):
        blnk.train(x, y, arch="conv4,wobble")
    with pytest.raises(blnk.Error, match="missing.idx"):
        blnk.train(str(tmp_path / "missing.idx"), str(tmp_path / "missing-labels.idx"))
    with pytest.raises(TypeError):
        blnk.train(x, y, epoch=1)  # a misspelt option
    # Bad numbers are ValueErrors naming the option, as epochs=0 is (lr=nan was a blnk.Error from inside).
    for option, value in (("lr", float("nan")), ("lr", 0.0), ("lr", float("inf")), ("momentum", 1.0), ("ema", -0.5)):
        with pytest.raises(ValueError, match=option + " must be"):
            blnk.train(x, y, epochs=1, arch=SMALL_SPEC, **{option: value})
    (tmp_path / "images.idx").write_bytes(b"\0\0\x08\x03")
    with pytest.raises(ValueError, match="labels"):
        blnk.train(str(tmp_path / "images.idx"))  # an IDX file needs its labels
    with pytest.raises(ValueError, match="nope: no such folder or file"):
        blnk.train(str(tmp_path / "nope"), image_size=(16, 16))  # was: "train_labels must be an IDX path"
    start = blnk.train(x, y, epochs=1, arch=SMALL_SPEC, out=str(tmp_path / "start.blnk"))
    with pytest.raises(blnk.Error, match="is not the one arch asks for"):
        blnk.train(x, y, init=str(tmp_path / "start.blnk"), arch="conv8,pool,flatten,dense10")


def test_an_out_path_that_cannot_take_the_model_is_refused_before_any_training(tmp_path, capsys):
    # As the CLI's --out: a directory or a missing folder used to surface only when the
    # model was written, after the whole run.
    x, y = digits(64, 13)
    with pytest.raises(ValueError, match=r"out .*: a directory; expected a file path"):
        blnk.train(x, y, epochs=1, arch=SMALL_SPEC, out=str(tmp_path), quiet=False)
    missing = tmp_path / "no-such-folder" / "m.blnk"
    with pytest.raises(blnk.Error, match=r"out .*m\.blnk: the folder .*no-such-folder does not exist"):
        blnk.train(x, y, epochs=1, arch=SMALL_SPEC, out=str(missing), quiet=False)
    with pytest.raises(ValueError, match="out is empty"):
        blnk.train(x, y, epochs=1, arch=SMALL_SPEC, out="", quiet=False)
    assert "epoch" not in capsys.readouterr().out  # refused before the first epoch
    assert not any(tmp_path.iterdir())  # and nothing written


def test_ctrl_c_stops_a_training_run_with_keyboard_interrupt():
    # A run far longer than the test, interrupted once it has printed its first
    # epoch: it must stop inside the next epoch (after a batch), whatever the load.
    script = (
        "import sys, numpy as np, blnk\n"
        "x = np.random.default_rng(0).integers(0, 256, (6000, 28, 28), dtype=np.uint8)\n"
        "try:\n"
        "    blnk.train(x, np.zeros(6000, np.uint8), epochs=100000, threads=1, quiet=False)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        "    sys.exit(3)\n")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=os.path.dirname(blnk.__file__)))
    first = proc.stdout.readline()
    assert re.match(r"epoch 1 of 100000: train loss \d+\.\d{4} acc \d+\.\d\d%$", first.strip()), first  # the CLI's line
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=600)  # a hang guard only
    assert proc.returncode == 3 and "interrupted" in out, out
    assert "epoch 3 of" not in out, out  # stopped in epoch 2, where the signal came


def test_train_releases_the_gil_while_it_trains():
    x, y = digits(2048, 5)
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick, daemon=True)
    t.start()
    start = time.perf_counter()
    try:
        blnk.train(x, y, epochs=1, threads=1, arch="conv8,pool,conv8,pool,flatten,dense10")
    finally:
        elapsed = time.perf_counter() - start
        done.set()
        t.join()
    during = [s for s in ticks if start <= s <= start + elapsed]
    # With the GIL held for the whole run the other thread could not tick at all.
    assert elapsed > 0.05 and len(during) >= 10


# --- Issue 24: what a first-time user ran into --------------------------------------

def test_a_model_of_another_kind_is_refused_naming_the_file_and_what_it_has():
    with pytest.raises(blnk.Error, match=r"digit-gate(-int8)?\.blnk: a digit reader has 10 outputs.*has 2"):
        blnk.Model(blnk.bundled_gate)
    with pytest.raises(blnk.Error, match=r"mnist\.blnk: a digit gate .* 10 outputs"):
        blnk.Model(blnk.bundled_model, gate=blnk.bundled_model)
    x, y = digits(64, 9)
    with pytest.raises(ValueError, match="2 outputs.*digit reader"):
        blnk.train(x, y % 2, epochs=1, arch="conv4,pool,flatten,dense2")


@pytest.mark.parametrize("value, index", [(np.nan, (0, 3, 5)), (np.inf, (1, 0, 27)), (-np.inf, (1, 27, 0))])
def test_nan_and_infinities_raise_value_error_naming_the_first_bad_index(model, value, index):
    x = np.zeros((2, 28, 28), np.float32)
    x[index] = value
    x[1, 27, 27] = np.nan  # a later one is not the one named
    with pytest.raises(ValueError, match=r"images\[%d, %d, %d\] is %s: .*finite" % (index + (str(value),))):
        model.predict_proba(x)
    with pytest.raises(ValueError, match="finite"):
        model.predict(x)


def test_float_pixels_outside_0_to_1_raise_unless_their_scale_is_said(model):
    x, _ = digits(8, 10)
    as_float = x.astype(np.float32)  # 0..255 as floats: the scale is not said
    with pytest.raises(ValueError, match=r"images\[0, \d+, \d+\] is \d+: float pixels are from 0 .*scale=255 for 0..255"):
        model.predict_proba(as_float)
    below = np.zeros((1, 28, 28), np.float32)
    below[0, 2, 3] = -0.5
    with pytest.raises(ValueError, match=r"images\[0, 2, 3\] is -0\.5"):
        model.predict_proba(below)
    # Said: the same answers as the uint8 pixels and as the pixels in [0, 1].
    scaled = model.predict_proba(as_float, scale=255)
    assert np.abs(scaled - model.predict_proba(x)).max() <= 1e-5
    assert np.array_equal(model.predict(as_float, scale=255), model.predict(x))
    with pytest.raises(ValueError, match=r"scale=255 pixels are from 0 \(background\) to 255"):
        model.predict_proba(as_float + 1, scale=255)
    with pytest.raises(ValueError, match="positive"):
        model.predict_proba(as_float, scale=0)
    with pytest.raises(ValueError, match="uint8"):
        model.predict_proba(x, scale=1)


def test_a_model_blnk_train_made_in_a_removed_file_names_no_file(tmp_path):
    x, y = digits(64, 11)
    unsaved = blnk.train(x, y, epochs=1, threads=2, arch=SMALL_SPEC)
    assert unsaved.path is None
    assert "not saved" in repr(unsaved) and "blnk-train-" not in repr(unsaved)
    saved = blnk.train(x, y, epochs=1, threads=2, arch=SMALL_SPEC, out=str(tmp_path / "kept.blnk"))
    assert saved.path == str(tmp_path / "kept.blnk")
    assert repr(saved) == "blnk.Model(%r)" % str(tmp_path / "kept.blnk")


def test_uint8_pixels_after_float_pixels_on_a_fresh_model():
    # The scaling buffers were made only for a first call with uint8 pixels: a uint8
    # call after a float one wrote into an empty buffer (a crash).
    fresh = blnk.Model(blnk.bundled_model, threads=2)
    x, _ = digits(4, 12)
    from_float = fresh.predict_proba(x.astype(np.float32) / np.float32(255))
    assert np.abs(fresh.predict_proba(x) - from_float).max() <= 1e-5
