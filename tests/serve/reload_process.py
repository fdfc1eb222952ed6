#!/usr/bin/python3
"""SIGHUP to a real `blnk serve` while requests run (ctest, tests/browser/CMakeLists.txt).

--model is a symbolic link, current.blnk, as a deploy would make it. The test points
it at a small model trained here, sends SIGHUP and sees the new model's name and
answers; then points it at a broken file (and at the digit gate, a model of the
other kind), sends SIGHUP and sees the previous model
still serving, the reason on stderr and the failure in /metrics. Four threads POST a
digit the whole time: every request must be answered 200. Exit 77 without MNIST.

  reload_process.py BLNK MODEL MNIST_DIR
"""
import gzip
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from PIL import Image

LOADERS = 4          # threads posting the digit during the reloads
DEADLINE_S = 60      # for each wait (a poll): the test fails rather than hangs, and a loaded machine is slow


def digit_png(mnist_dir, index):
    with gzip.open(os.path.join(mnist_dir, "t10k-images-idx3-ubyte.gz")) as f:
        f.read(16 + 784 * index)
        image = Image.frombytes("L", (28, 28), f.read(784))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def predict(url, png):
    request = urllib.request.Request(url + "/predict", data=png, method="POST",
                                     headers={"Content-Type": "image/png", "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def metrics(url):
    with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
        return response.read().decode()


def wait_for(what, condition):
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def repoint(link, target):
    """Points the symbolic link at target atomically (a rename), as a deploy does."""
    tmp = link + ".new"
    os.symlink(target, tmp)
    os.replace(tmp, link)


def main():
    blnk, bundled, mnist = sys.argv[1:4]
    if not os.path.exists(os.path.join(mnist, "t10k-images-idx3-ubyte.gz")):
        print("SKIP: no MNIST in " + mnist)
        return 77
    work = tempfile.mkdtemp(prefix="blnk-reload-")
    tiny = os.path.join(work, "tiny.blnk")
    subprocess.run([blnk, "train", "--data", mnist, "--limit", "300", "--epochs", "1", "--threads", "1",
                    "--arch", "conv4,pool,flatten,dense10", "--quiet", "--out", tiny],
                   check=True, stdout=subprocess.DEVNULL)
    broken = os.path.join(work, "broken.blnk")
    with open(broken, "wb") as f:
        f.write(b"BLNKMODL but not really a model")
    release = os.path.join(work, "mnist.blnk")
    with open(bundled, "rb") as src, open(release, "wb") as dst:
        dst.write(src.read())
    gate = os.path.join(work, "digit-gate.blnk")
    with open(os.path.join(os.path.dirname(bundled), "digit-gate.blnk"), "rb") as src, open(gate, "wb") as dst:
        dst.write(src.read())
    link = os.path.join(work, "current.blnk")
    os.symlink(release, link)

    stderr_path = os.path.join(work, "serve.err")
    with open(stderr_path, "wb") as err:
        server = subprocess.Popen([blnk, "serve", "--port", "0", "--threads", "2", "--quiet", "--model", link],
                                  stderr=err)
    stop = threading.Event()
    failures, answered, loaders = [], [0], []
    try:
        wait_for("the server's URL", lambda: re.search(rb"http://127\.0\.0\.1:\d+", open(stderr_path, "rb").read()))
        url = re.search(rb"http://127\.0\.0\.1:\d+", open(stderr_path, "rb").read()).group().decode()
        png = digit_png(mnist, 0)
        status, first = predict(url, png)
        assert status == 200 and first["model"] == "mnist.blnk", first

        def load():
            while not stop.is_set():
                try:
                    status, _ = predict(url, png)
                    answered[0] += 1
                    if status != 200:
                        failures.append(status)
                except Exception as e:  # a refused or cut connection is a dropped request
                    failures.append(repr(e))
        loaders.extend(threading.Thread(target=load) for _ in range(LOADERS))
        for t in loaders:
            t.start()

        # A new model: its name (the release the link points at) and its own answers.
        repoint(link, tiny)
        server.send_signal(signal.SIGHUP)
        wait_for("the tiny model to answer", lambda: predict(url, png)[1]["model"] == "tiny.blnk")
        _, second = predict(url, png)
        assert second["probabilities"] != first["probabilities"], "same answers after the reload"
        assert 'blnk_model_info{model="tiny.blnk"} 1' in metrics(url)

        # A broken file: the tiny model serves on, stderr and /metrics say so.
        repoint(link, broken)
        server.send_signal(signal.SIGHUP)
        wait_for("the failed reload", lambda: 'blnk_model_reloads_total{result="failed"} 1' in metrics(url))
        _, third = predict(url, png)
        assert third["model"] == "tiny.blnk" and third["probabilities"] == second["probabilities"], third
        log = open(stderr_path, encoding="utf-8", errors="replace").read()
        assert "model reload failed, still serving tiny.blnk" in log and "broken.blnk" in log, log

        # A model of the other kind (the digit gate, 2 outputs) is refused as a broken one is.
        repoint(link, gate)
        server.send_signal(signal.SIGHUP)
        wait_for("the refused gate", lambda: 'blnk_model_reloads_total{result="failed"} 2' in metrics(url))
        _, fourth = predict(url, png)
        assert fourth["model"] == "tiny.blnk" and fourth["probabilities"] == second["probabilities"], fourth
        log = open(stderr_path, encoding="utf-8", errors="replace").read()
        assert "digit-gate.blnk: a digit reader has 10 outputs" in log, log
        time.sleep(0.3)  # a little more load after the failed reload
    finally:
        stop.set()
        for t in loaders:  # before SIGTERM: a request refused by a stopping server is no reload failure
            t.join()
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            code = "killed"
    assert not failures, "requests failed during the reloads: %s" % failures[:5]
    assert code == 0, "blnk serve exited with %s" % code
    print("PASS: %d requests answered 200 across a reload and a failed reload" % answered[0])
    subprocess.run(["rm", "-rf", work])
    return 0


if __name__ == "__main__":
    sys.exit(main())
