"""data::seed_preprocess (the seed's pipeline, data/seed_preprocess.h) against the
same steps in Pillow + numpy (keras_oracle.seed_preprocess_numpy): bit for bit on
generated images of every channel layout (with partial alpha, upscaled, already
28x28, uniform) and on the PNGs of ../shared/data/photo-digits; JPEGs may differ
by a pixel or two (stb_image and libjpeg round the colour conversion apart).
Then the floor: with the seed's DigitOCR.h5 imported, blnk's answers on
photo-digits agree with the numpy pipeline + numpy forward pass on >= 97%.
Skipped when ../shared is absent."""

import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_oracle as ko  # noqa: E402

FLOOR = 0.97
JPEG_PIXELS = 4  # at most this many of 784 pixels may differ on a JPEG


def generated_images(work):
    """Images of every mode Pillow opens from a PNG, with content a binarization can tell apart."""
    import numpy as np
    from PIL import Image
    rng = np.random.default_rng(15)
    images = []

    def save(name, array, mode):
        path = os.path.join(work, name + ".png")
        Image.fromarray(array.astype(np.uint8), mode).save(path)
        images.append(path)

    def digit_like(h, w, channels):
        yy, xx = np.mgrid[0:h, 0:w]
        ring = np.abs(np.hypot((yy - h / 2) / h, (xx - w / 2) / w) - 0.3) < 0.08
        base = rng.integers(150, 256, (h, w, channels))
        base[ring] = rng.integers(0, 90, (int(ring.sum()), channels))
        return base

    save("rgb-downscaled", digit_like(97, 61, 3), "RGB")
    save("rgb-upscaled", digit_like(11, 17, 3), "RGB")
    save("rgb-already-28", digit_like(28, 28, 3), "RGB")
    rgba = digit_like(83, 120, 4)
    rgba[..., 3] = rng.integers(0, 256, (83, 120))  # partial alpha: premultiplied resizing
    save("rgba-partial-alpha", rgba, "RGBA")
    save("rgba-opaque-tall", np.concatenate([digit_like(300, 20, 3), np.full((300, 20, 1), 255)], axis=2), "RGBA")
    save("gray", digit_like(50, 45, 1)[..., 0], "L")
    la = digit_like(40, 70, 2)
    la[..., 1] = rng.integers(0, 256, (40, 70))
    save("gray-alpha", la, "LA")
    save("uniform", np.full((30, 30, 3), 200), "RGB")
    save("noise", rng.integers(0, 256, (64, 64, 3)), "RGB")
    return images


def compare_pixels(args, checks, paths, what):
    """The resized gray (before the stretch: every level counts) and the binarized result."""
    import numpy as np
    grays = ko.blnk_seed_preprocess(args.tool, paths, args.work, gray=True)
    ours = ko.blnk_seed_preprocess(args.tool, paths, args.work)
    for path, gray, mine in zip(paths, grays, ours):
        jpeg = path.lower().endswith((".jpg", ".jpeg"))
        level = int(np.abs(gray.astype(int) - ko.seed_gray_numpy(path)).max())
        theirs = ko.seed_preprocess_numpy(path)
        differ = int((mine != theirs).sum())
        allowed = JPEG_PIXELS if jpeg else 0
        checks.check((level == 0 or jpeg) and differ <= allowed,
                     "%s %s: gray levels differ by at most %d%s; %d of 784 binarized pixels differ (allowed %d, "
                     "%d ones)" % (what, os.path.basename(path), level, " (a JPEG: decoders differ)" if jpeg else "",
                                   differ, allowed, int(theirs.sum())))
    return ours


def check_opencv_gray(checks):
    """The gray formula of the oracle against OpenCV itself, where python3-opencv is installed."""
    try:
        import cv2
    except ImportError:
        print("note: no cv2: the oracle's BGRA2GRAY formula is not checked against OpenCV")
        return
    import numpy as np
    rgba = np.random.default_rng(2).integers(0, 256, (256, 256, 4)).astype(np.uint8)
    checks.check(np.array_equal(cv2.cvtColor(rgba, cv2.COLOR_BGRA2GRAY), ko.opencv_bgra_to_gray(rgba)),
                 "the oracle's gray formula equals OpenCV %s's cvtColor(COLOR_BGRA2GRAY) on %d random pixels"
                 % (cv2.__version__, rgba.shape[0] * rgba.shape[1]))


def floor(args, checks, paths, ours):
    import numpy as np
    seed_h5 = os.path.join(args.shared, "seed", "DigitOCR.h5")
    model = os.path.join(args.work, "seed.blnk")
    r = ko.run([args.blnk, "import-keras", seed_h5, "--out", model])
    checks.check(r.returncode == 0, "blnk import-keras of the seed's model: " + (r.stderr or r.stdout).strip())
    if r.returncode != 0:
        return
    layers, weights = ko.read_keras_h5(seed_h5)
    reference = np.stack([ko.seed_preprocess_numpy(p) for p in paths])[..., None]
    _, seed_probs = ko.forward_numpy(layers, weights, reference)
    seed_answers = seed_probs.argmax(axis=1)
    _, blnk_probs = ko.blnk_forward(args.tool, model, ours[..., None], 10, args.work)
    blnk_answers = blnk_probs.argmax(axis=1)
    labels = np.array([int(os.path.basename(p)[0]) for p in paths])
    agree = float((seed_answers == blnk_answers).mean())
    print("photo-digits: %d images; the seed's answers reproduced on %d; seed (numpy) right on %d, "
          "blnk --preprocess seed right on %d" % (len(paths), (seed_answers == blnk_answers).sum(),
                                                 (seed_answers == labels).sum(), (blnk_answers == labels).sum()))
    checks.check(agree >= FLOOR, "blnk gives the seed's answers on %.1f%% of photo-digits (floor %.0f%%)" %
                 (100 * agree, 100 * FLOOR))


def main():
    args = ko.options()
    ko.require_modules()
    checks = ko.Checks()
    check_opencv_gray(checks)
    compare_pixels(args, checks, generated_images(args.work), "generated")
    photos = sorted(glob.glob(os.path.join(args.shared, "data", "photo-digits", "*")))
    if not photos:
        if checks.failed:
            checks.finish()
        ko.skip("no ../shared/data/photo-digits: the generated images passed, the floor is not measured")
    ours = compare_pixels(args, checks, photos, "photo-digits")
    floor(args, checks, photos, ours)
    checks.finish()


if __name__ == "__main__":
    main()
