"""What the blnk module's tests share: the module from the build tree, the blnk binary,
the MNIST files, and ctest's skip status.

Environment (set by tests/python/CMakeLists.txt): BLNK_PYTHON_DIR (where blnk.*.so is),
BLNK_BIN (the blnk binary), BLNK_PROBE (tests/onnx's blnk_onnx_probe), BLNK_DATA_DIR
(optional: the four MNIST files; default ../shared/data/mnist beside the sources).
"""
import gzip
import os
import sys

import numpy as np
import pytest

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.environ.get("BLNK_PYTHON_DIR", os.path.join(SOURCE_DIR, "build", "python")))

SKIP_STATUS = 77  # ctest: skipped


def pytest_sessionfinish(session, exitstatus):
    # Every test skipped (no MNIST data): tell ctest "skipped", not "passed".
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if exitstatus == 0 and reporter and reporter.stats.get("skipped") and not reporter.stats.get("passed"):
        session.exitstatus = SKIP_STATUS


@pytest.fixture(scope="session")
def blnk_bin():
    return os.environ.get("BLNK_BIN", os.path.join(SOURCE_DIR, "build", "blnk"))


def _mnist_file(directory, name):
    for f in (os.path.join(directory, name), os.path.join(directory, name + ".gz")):
        if os.path.isfile(f):
            return f
    return None


@pytest.fixture(scope="session")
def mnist_test():
    """(paths, images (10000, 28, 28) uint8, labels) of the MNIST test set, or a skip."""
    directory = os.environ.get("BLNK_DATA_DIR") or os.path.join(SOURCE_DIR, "..", "shared", "data", "mnist")
    images = _mnist_file(directory, "t10k-images-idx3-ubyte")
    labels = _mnist_file(directory, "t10k-labels-idx1-ubyte")
    if not images or not labels:
        pytest.skip("no MNIST test files in %s (set BLNK_DATA_DIR)" % directory)
    read = lambda f: (gzip.open(f) if f.endswith(".gz") else open(f, "rb")).read()
    x = np.frombuffer(read(images), np.uint8, offset=16).reshape(-1, 28, 28)
    y = np.frombuffer(read(labels), np.uint8, offset=8)
    return {"images_path": images, "labels_path": labels, "images": x, "labels": y}


def write_idx(path, array):
    """An IDX file (the MNIST format) of a uint8 array: images (N, rows, cols) or labels (N,)."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with open(path, "wb") as f:
        f.write(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes())
