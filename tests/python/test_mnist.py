"""The blnk module on the MNIST test set: predict_proba against blnk's own inference
(tests/onnx's probe) on all 10,000 images, read() against `blnk predict`."""
import json
import os
import subprocess

import cv2
import numpy as np
import pytest

import blnk

MAX_ABS_DIFF = 1e-5  # the floor


@pytest.fixture(scope="module")
def model():
    return blnk.Model(blnk.bundled_model, threads=2)


def test_predict_proba_agrees_with_blnk_on_10000_test_images(model, mnist_test, tmp_path):
    probe = os.environ["BLNK_PROBE"]
    subprocess.run([probe, blnk.bundled_model, mnist_test["images_path"], str(tmp_path / "probs.f32"),
                    str(tmp_path / "images.f32")], check=True)
    want = np.fromfile(tmp_path / "probs.f32", np.float32).reshape(-1, 10)
    seen = np.fromfile(tmp_path / "images.f32", np.float32).reshape(-1, 28, 28)
    for name, x in (("uint8", mnist_test["images"]), ("float32", seen)):
        got = model.predict_proba(x)
        max_diff = float(np.abs(got - want).max())
        agree = float((got.argmax(1) == want.argmax(1)).mean())
        print("%s: %d images, max |dp| %.2e, argmax agreement %.4f" % (name, len(x), max_diff, agree))
        assert got.shape == (10000, 10)
        assert max_diff <= MAX_ABS_DIFF and agree == 1.0
    assert (model.predict(mnist_test["images"]) == mnist_test["labels"]).mean() >= 0.99


def test_read_gives_what_blnk_predict_gives(model, mnist_test, blnk_bin, tmp_path):
    paths = []
    for i in range(8):  # dark-on-light and light-on-dark, as photos and scans come
        img = mnist_test["images"][i]
        path = str(tmp_path / ("digit%d.png" % i))
        cv2.imwrite(path, 255 - img if i % 2 else img)
        paths.append(path)
    seen_dir = tmp_path / "seen"
    out = subprocess.run([blnk_bin, "predict", "--json", "--save-preprocessed", str(seen_dir)] + paths,
                         check=True, capture_output=True, text=True).stdout
    cli = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert len(cli) == len(paths)
    for path, want in zip(paths, cli):
        got = model.read(path)
        same_from_bytes = model.read(open(path, "rb").read())
        assert got["digit"] == want["digit"] == same_from_bytes["digit"]
        assert got["verdict"] == want["verdict"] and got["reason"] == want["reason"]
        assert got["single_digit"] == pytest.approx(want.get("single_digit", -1), abs=5e-7)
        assert abs(got["probability"] - want["probability"]) <= 5e-7  # the CLI prints 6 decimals
        for top in want["top"]:
            assert abs(got["probabilities"][top["digit"]] - top["probability"]) <= 5e-7
        assert np.array_equal(got["probabilities"], same_from_bytes["probabilities"])
        seen_png = cv2.imdecode(np.frombuffer(got["seen_png"], np.uint8), cv2.IMREAD_GRAYSCALE)
        assert seen_png.shape == (28, 28)
        saved = cv2.imread(str(seen_dir / (os.path.basename(path) + ".28x28.png")), cv2.IMREAD_GRAYSCALE)
        assert saved is not None and np.array_equal(seen_png, saved)


def test_read_gives_a_number_with_each_digit_and_its_box(model, mnist_test, tmp_path):
    # MNIST test 0, 1, 2 (7, 2, 1) side by side, enlarged twice, dark ink on white paper.
    row = np.hstack([mnist_test["images"][i] for i in range(3)])
    img = 255 - cv2.resize(np.pad(row, 8), None, fx=2, fy=2, interpolation=cv2.INTER_LINEAR)
    path = str(tmp_path / "number.png")
    cv2.imwrite(path, img)
    r = model.read(path)
    want = "".join(str(int(mnist_test["labels"][i])) for i in range(3))
    assert r["verdict"] == "number" and r["number"] == want
    assert r["digit"] is None  # no client takes one digit of a number for the answer
    assert [d["digit"] for d in r["digits"]] == [int(c) for c in want]
    xs = [d["box"][0] for d in r["digits"]]
    assert xs == sorted(xs) and all(d["box"][2] > 0 and d["box"][3] > 0 for d in r["digits"])
