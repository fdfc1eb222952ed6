"""blnk.train on a folder of image classes and on colour arrays with their names, and
blnk.Model on the class model it makes: Model.classes, predict_proba on (N, H, W, C),
read() naming the class, and the errors of a wrong shape or a missing image_size.
The folders are drawn here (PIL): red or blue squares and circles, several sizes."""
import os
import random
import subprocess

import numpy as np
import pytest
from PIL import Image, ImageDraw

import blnk

CLASSES = ["blue circle", "blue square", "red circle", "red square"]


def draw(cls, rng):
    w, h = rng.choice([(32, 32), (48, 32), (32, 44)])
    im = Image.new("RGB", (w, h), (230, 230, 225))
    s = rng.randint(int(min(w, h) * 0.5), int(min(w, h) * 0.75))
    x, y = rng.randint(0, w - s), rng.randint(0, h - s)
    colour = (210, 40, 30) if cls.startswith("red") else (30, 40, 200)
    d = ImageDraw.Draw(im)
    (d.rectangle if "square" in cls else d.ellipse)([x, y, x + s, y + s], fill=colour)
    return im


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("classes")
    rng = random.Random(5)
    for split, n in (("train", 40), ("test", 10)):
        for cls in CLASSES:
            os.makedirs(root / split / cls)
            for i in range(n):
                draw(cls, rng).save(root / split / cls / f"{i}.png")
    return root


@pytest.fixture(scope="module")
def model(folders):
    return blnk.train(str(folders / "train"), image_size=(32, 32), channels=3, epochs=25, batch_size=16, lr=0.003,
                      seed=2, threads=2, arch="conv8,pool,conv16,pool,flatten,dense32,dense4",
                      out=str(folders / "shapes.blnk"))


def test_a_folder_of_classes_trains_a_class_model_that_names_them(model, folders, blnk_bin):
    assert model.classes == CLASSES
    assert model.input_shape == (32, 32, 3)
    # The held-out folder, read by blnk eval as the model was trained: well above chance (25%).
    out = subprocess.run([blnk_bin, "eval", "--model", model.path, "--images", str(folders / "test"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    assert '"classes":["blue circle","blue square","red circle","red square"]' in out
    accuracy = float(out.split('"accuracy":')[1].split(",")[0])
    assert accuracy >= 0.75
    reading = model.read(str(folders / "test" / "red square" / "3.png"))
    assert set(reading) == {"class", "index", "probability", "probabilities", "elapsed_ms"}
    assert reading["class"] == CLASSES[reading["index"]]
    # The same model file read back names the same classes.
    assert blnk.Model(model.path).classes == CLASSES


def test_predict_proba_takes_the_models_image_shape(model):
    x = np.zeros((3, 32, 32, 3), np.uint8)
    p = model.predict_proba(x)
    assert p.shape == (3, 4)
    assert np.allclose(p.sum(axis=1), 1, atol=1e-5)
    with pytest.raises(ValueError, match=r"\(N, 32, 32, 3\), got \(3, 32, 32\)"):
        model.predict_proba(np.zeros((3, 32, 32), np.uint8))
    with pytest.raises(ValueError, match=r"images\[0, 1, 2, 1\] is nan"):
        bad = np.zeros((1, 32, 32, 3), np.float32)
        bad[0, 1, 2, 1] = np.nan
        model.predict_proba(bad)
    digits = blnk.Model(blnk.bundled_model)
    assert digits.classes is None
    grey = np.zeros((2, 28, 28), np.uint8)
    assert np.array_equal(digits.predict_proba(grey), digits.predict_proba(grey[..., None]))


def test_colour_arrays_train_with_their_class_names():
    rng = np.random.default_rng(1)
    labels = np.arange(40) % 2
    images = np.zeros((40, 8, 8, 3), np.uint8)
    images[labels == 0, :, :, 0] = 220  # red
    images[labels == 1, :, :, 2] = 220  # blue
    images += rng.integers(0, 30, images.shape, dtype=np.uint8)
    m = blnk.train(images, labels, classes=["red", "blue"], epochs=5, arch="flatten,dense2", threads=1)
    assert m.classes == ["red", "blue"]
    assert (m.predict(images) == labels).all()
    with pytest.raises(ValueError, match="name the classes"):
        blnk.train(images, labels, epochs=1, arch="flatten,dense10")
    with pytest.raises(ValueError, match="from 0 to 1"):
        blnk.train(images, labels + 1, classes=["red", "blue"], epochs=1, arch="flatten,dense2")
    # Crop and mirror keep the colour of a picture: still learned, the same model for the same seed.
    cropped = [blnk.train(images, labels, classes=["red", "blue"], epochs=5, arch="flatten,dense2", threads=1,
                          augment="crop-flip") for _ in range(2)]
    assert (cropped[0].predict(images) == labels).all()
    assert np.array_equal(cropped[0].predict_proba(images), cropped[1].predict_proba(images))
    with pytest.raises(ValueError, match="not for a class model"):
        blnk.train(images, labels, classes=["red", "blue"], epochs=1, arch="flatten,dense2", augment=True)
    with pytest.raises(ValueError, match="none, digits, crop or crop-flip"):
        blnk.train(images, labels, classes=["red", "blue"], epochs=1, arch="flatten,dense2", augment="flip")


def test_a_folder_of_classes_needs_its_image_size(folders):
    with pytest.raises(ValueError, match=r"image_size=\(height, width\)"):
        blnk.train(str(folders / "train"), epochs=1)
    with pytest.raises(ValueError, match="fit must be 'pad' or 'crop'"):
        blnk.train(str(folders / "train"), image_size=(16, 16), fit="stretch", epochs=1)
    with pytest.raises(ValueError, match="channels must be 1"):
        blnk.train(str(folders / "train"), image_size=(16, 16), channels=2, epochs=1)
