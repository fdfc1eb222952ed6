#!/usr/bin/env python3
"""The upload page in a real browser: `blnk serve` driven by headless Chromium.

1. JavaScript off: choose an MNIST test digit (written as PNG) with the file input,
   click Submit; the form posts to /predict and the returned page shows the right digit,
   the file name and the ten probability bars.
2. JavaScript on: choosing the file posts it with fetch (no page load) and draws the
   result with the bar chart; dropping a file on the upload box does the same.
3. JavaScript on: a stroke drawn on the pad with the mouse is read as a 1.
4. JavaScript on: digits drawn on the pad with pen strokes (the stress suite's
   strokes, scripts/make-stress-set.py) big enough to fill the pad and small,
   with the thin, medium and thick pens, white on black and black on white, are
   read right; a scribble is answered "Not a digit" with no percentage; an
   empty pad and a single tap say "Draw a digit".
5. JavaScript on: "predict on release" waits for the pen to rest: nothing is sent
   while strokes go on, the earlier answer shows as provisional, a new stroke cancels
   a request on its way (the page's timers and fetch are driven by the test, so no
   duration is asserted); "Not a digit" shows no bars and no percentage.
6. At 390 px (a phone), the answer to a drawing is scrolled into view.

Exit 0 when every check passes, 1 on a failure, 77 (ctest's SKIP_RETURN_CODE) when
Chromium or the digit images are missing. The server and the browser are always
stopped. --screenshots DIR keeps PNGs of each step (docs/screenshot.png is one).

    python3 tests/browser/test_page.py --blnk build/blnk --model models/mnist.blnk \
        --mnist ../shared/data/mnist --photos ../shared/data/photo-digits
"""

import argparse
import base64
import gzip
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SKIP = 77
SERVER_START_TIMEOUT = 60.0  # s, until the URL line on stderr (a poll)
RESULT_TIMEOUT = 60.0        # s, for a prediction to appear (a poll: ends as soon as it does; a loaded machine is slow)
OVERALL_TIMEOUT = 90         # s, SIGALRM: the test fails rather than hangs
VIEWPORT = (1040, 900)       # CSS pixels of the page in the screenshots
MNIST_INDICES = (0, 1)       # t10k items 0 and 1: a 7 and a 2
DRAWING = "drawing"          # what the page calls the pad's image


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)
    print("ok:", what, flush=True)


# --- Digit images ---------------------------------------------------------------

def png_gray(width, height, pixels):
    """A grayscale 8-bit PNG of `pixels` (bytes, row-major)."""
    def chunk(kind, data):
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + pixels[y * width:(y + 1) * width] for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack("!IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def mnist_digits(mnist_dir, out_dir):
    """[(path, label)] for MNIST_INDICES of the t10k set, written as white-on-black PNGs."""
    images = os.path.join(mnist_dir, "t10k-images-idx3-ubyte.gz")
    labels = os.path.join(mnist_dir, "t10k-labels-idx1-ubyte.gz")
    if not (os.path.isfile(images) and os.path.isfile(labels)):
        return []
    with gzip.open(images) as f:
        magic, count, rows, cols = struct.unpack("!IIII", f.read(16))
        if magic != 0x803 or (rows, cols) != (28, 28):
            raise Failure("not an MNIST image file: " + images)
        pixels = f.read(28 * 28 * (max(MNIST_INDICES) + 1))
    with gzip.open(labels) as f:
        magic, _ = struct.unpack("!II", f.read(8))
        label_bytes = f.read(max(MNIST_INDICES) + 1)
    out = []
    for i in MNIST_INDICES:
        path = os.path.join(out_dir, "mnist-t10k-%05d.png" % i)
        with open(path, "wb") as f:
            f.write(png_gray(28, 28, pixels[i * 784:(i + 1) * 784]))
        out.append((path, label_bytes[i]))
    return out


def mnist_number(mnist_dir, out_dir):
    """(path, number): MNIST test images 0, 1 and 2 side by side, enlarged twice with a
    margin, white on black, as a PNG; None without MNIST."""
    images = os.path.join(mnist_dir, "t10k-images-idx3-ubyte.gz")
    labels = os.path.join(mnist_dir, "t10k-labels-idx1-ubyte.gz")
    if not (os.path.isfile(images) and os.path.isfile(labels)):
        return None
    with gzip.open(images) as f:
        f.read(16)
        tiles = [f.read(784) for _ in range(3)]
    with gzip.open(labels) as f:
        f.read(8)
        number = "".join(str(b) for b in f.read(3))
    margin, scale = 8, 2
    w, h = (3 * 28 + 2 * margin) * scale, (28 + 2 * margin) * scale
    pixels = bytearray(w * h)
    for y in range(h):
        for x in range(w):
            tx, ty = x // scale - margin, y // scale - margin
            if 0 <= ty < 28 and 0 <= tx < 3 * 28:
                pixels[y * w + x] = tiles[tx // 28][ty * 28 + tx % 28]
    path = os.path.join(out_dir, "number-%s.png" % number)
    with open(path, "wb") as f:
        f.write(png_gray(w, h, bytes(pixels)))
    return path, number


def photo_digits(photo_dir):
    """[(path, label)] for two PNG photos named <label>_...png."""
    if not os.path.isdir(photo_dir):
        return []
    names = sorted(n for n in os.listdir(photo_dir) if re.match(r"^[0-9]_.*\.png$", n))
    picks = [n for n in names if n.startswith("7_")][:1] + [n for n in names if n.startswith("2_")][:1]
    return [(os.path.join(photo_dir, n), int(n[0])) for n in picks]


# --- The server -------------------------------------------------------------------

def start_server(blnk, model, log_path):
    log = open(log_path, "wb")
    proc = subprocess.Popen([blnk, "serve", "--port", "0", "--model", model], stdin=subprocess.DEVNULL,
                            stdout=log, stderr=log, start_new_session=True, preexec_fn=cdp.die_with_parent)
    log.close()
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        with open(log_path, "rb") as f:
            m = re.search(rb" on (http://127\.0\.0\.1:\d+)", f.read())
        if m:
            return proc, m.group(1).decode()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    cdp.stop_process_group(proc)
    with open(log_path, "rb") as f:
        raise Failure("blnk serve did not start: " + f.read().decode(errors="replace")[-2000:])


def print_logs(work):
    """The last lines of the server's and the browser's logs, after a failure."""
    for name in ("server.log", "chromium.log"):
        path = os.path.join(work, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                tail = f.read()[-3000:].decode(errors="replace")
            print("--- last lines of %s ---\n%s" % (name, tail))


def clean_up(browser, server, work):
    """Stops the alarm, the browser and the server, and removes the work folder."""
    signal.alarm(0)
    if browser is not None:
        browser.close()
    cdp.stop_process_group(server)
    shutil.rmtree(work, ignore_errors=True)


# --- Page helpers -------------------------------------------------------------------

def navigate(page, url):
    page.drop_events("Page.loadEventFired")
    result = page.send("Page.navigate", url=url)
    if result.get("errorText"):
        raise Failure("navigation to %s failed: %s" % (url, result["errorText"]))
    page.wait_event("Page.loadEventFired")


def query(page, selector):
    """The DOM node id of the first match in the current document (0 if none); works without JS."""
    root = page.send("DOM.getDocument", depth=0)["root"]["nodeId"]
    return page.send("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]


def text_of(page, selector):
    node = query(page, selector)
    if not node:
        return None
    html = page.send("DOM.getOuterHTML", nodeId=node)["outerHTML"]
    return re.sub(r"<[^>]*>", "", html).replace("&amp;", "&").strip()


def count(page, selector):
    root = page.send("DOM.getDocument", depth=0)["root"]["nodeId"]
    return len(page.send("DOM.querySelectorAll", nodeId=root, selector=selector)["nodeIds"])


def center(page, selector):
    node = query(page, selector)
    if not node:
        raise Failure("no element " + selector)
    page.send("DOM.scrollIntoViewIfNeeded", nodeId=node)
    quad = page.send("DOM.getBoxModel", nodeId=node)["model"]["border"]
    return (sum(quad[0::2]) / 4, sum(quad[1::2]) / 4)


def click(page, selector):
    x, y = center(page, selector)
    for kind in ("mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", buttons=1, clickCount=1)


def set_file(page, selector, path):
    node = query(page, selector)
    if not node:
        raise Failure("no element " + selector)
    page.send("DOM.setFileInputFiles", nodeId=node, files=[os.path.abspath(path)])


def evaluate(page, expression):
    r = page.send("Runtime.evaluate", expression=expression, returnByValue=True)
    if "exceptionDetails" in r:
        raise Failure("script failed: %s" % r["exceptionDetails"].get("text"))
    return r["result"].get("value")


RESULT_JS = """(() => {
  const r = document.getElementById("result");
  if (!r || r.classList.contains("busy")) return null;
  const seen = r.querySelector("img.seen");
  return {
    error: r.classList.contains("error") ? r.textContent : null,
    kind: r.classList.contains("empty") ? "empty" :
          (["not_a_digit", "uncertain", "digit", "number"].find(k => r.classList.contains("verdict-" + k)) || ""),
    prob: (r.querySelector(".prob") || {}).textContent,
    heading: (r.querySelector("h2") || {}).textContent,
    digit: (r.querySelector(".digit") || {}).textContent,
    file: (r.querySelector(".file") || {}).textContent,
    bars: r.querySelectorAll(".bars li").length,
    best: (r.querySelector(".bars li.best .label") || {}).textContent,
    text: r.textContent,
    provisional: r.classList.contains("provisional"),
    seen: !!(seen && seen.complete && seen.naturalWidth === 28),
    path: location.pathname,
  };
})()"""


def wait_result(page, file_name):
    """The JS-drawn result box once it shows `file_name` (or an error), polled."""
    deadline = time.monotonic() + RESULT_TIMEOUT
    while time.monotonic() < deadline:
        r = evaluate(page, RESULT_JS)
        if r and (r["error"] or r.get("file") == file_name or r["kind"] == "empty"):
            if r["error"]:
                raise Failure("the page shows an error: " + r["error"])
            return r
        time.sleep(0.05)
    raise Failure("no result for %s within %.0f s" % (file_name, RESULT_TIMEOUT))


def screenshot(page, directory, name):
    if not directory:
        return
    metrics = page.send("Page.getLayoutMetrics")
    size = metrics.get("cssContentSize", metrics.get("contentSize"))
    clip = {"x": 0, "y": 0, "width": VIEWPORT[0], "height": max(VIEWPORT[1] // 2, size["height"]), "scale": 1}
    data = page.send("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
    path = os.path.join(directory, name + ".png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))
    print("screenshot:", path, flush=True)


# --- The checks -------------------------------------------------------------------------

def check_form_without_js(page, url, digits, shots):
    page.send("Emulation.setScriptExecutionDisabled", value=True)
    navigate(page, url + "/")
    check(query(page, "form#form[action='/predict'] input[type=file][name=upload]") != 0,
          "the page has the upload form")
    screenshot(page, shots, "page")
    for i, (path, label) in enumerate(digits):
        if i > 0:
            navigate(page, url + "/")
        set_file(page, "#file", path)
        page.drop_events("Page.loadEventFired")
        click(page, "#form button[type=submit]")
        page.wait_event("Page.loadEventFired")
        name = os.path.basename(path)
        digit = text_of(page, "#result .digit")
        check(digit == str(label), "without JS, the form upload of %s shows digit %d (got %r)" % (name, label, digit))
        check(text_of(page, "#result .file") == name, "the returned page names the file")
        check(count(page, "#result .bars li") == 10 and text_of(page, "#result .bars li.best .label") == str(label),
              "the returned page has ten probability bars, the predicted one highlighted")
        check(count(page, "#result img.seen") == 1, "the returned page shows the 28x28 image the network saw")
        if i == 0:
            screenshot(page, shots, "form-result")
    page.send("Emulation.setScriptExecutionDisabled", value=False)


def check_fetch_with_js(page, url, digits, shots):
    navigate(page, url + "/")
    check(evaluate(page, "document.documentElement.classList.contains('js')"), "the page's script ran")
    path, label = digits[0]
    set_file(page, "#file", path)  # the change event sends it
    r = wait_result(page, os.path.basename(path))
    check(r["digit"] == str(label) and r["best"] == str(label),
          "with JS, choosing %s shows digit %d (got %r)" % (os.path.basename(path), label, r["digit"]))
    check(r["bars"] == 10 and r["seen"], "with JS, the result has the bar chart and the 28x28 image")
    check(r["path"] == "/", "with JS, the page was not reloaded")
    screenshot(page, shots, "js-result")

    if len(digits) > 1:
        path, label = digits[1]
        x, y = center(page, "#form")
        data = {"items": [], "files": [os.path.abspath(path)], "dragOperationsMask": 1}
        for kind in ("dragEnter", "dragOver", "drop"):
            page.send("Input.dispatchDragEvent", type=kind, x=x, y=y, data=data)
        r = wait_result(page, os.path.basename(path))
        check(r["digit"] == str(label) and r["bars"] == 10,
              "with JS, dropping %s on the upload box shows digit %d (got %r)"
              % (os.path.basename(path), label, r["digit"]))


NARROW = (390, 844)  # a phone's width: the page must not scroll sideways


def check_number(page, url, number, shots):
    """A number uploaded: shown whole and large, each digit's box drawn on the preview."""
    if not number:
        return
    path, want = number
    navigate(page, url + "/")
    set_file(page, "#file", path)
    r = wait_result(page, os.path.basename(path))
    check(r["kind"] == "number" and r["digit"] == want,
          "a photo of the number %s shows it whole (got %r, %r)" % (want, r["kind"], r["digit"]))
    check(r["bars"] == 0, "a number has no one digit's bars")
    boxes = wait_for(page, "document.querySelectorAll('#result .frame .found').length === %d" % len(want),
                     "one box per digit drawn on the preview")
    check(boxes, "each of the %d digits has its box on the preview" % len(want))
    screenshot(page, shots, "number-result")


def check_several_files_narrow(page, url, digits, shots):
    """At 390 px, nothing overflows; several files chosen at once get one answer each."""
    page.send("Emulation.setDeviceMetricsOverride", width=NARROW[0], height=NARROW[1], deviceScaleFactor=1, mobile=True)
    try:
        navigate(page, url + "/")
        overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        check(evaluate(page, overflow) <= 0, "at 390 px the empty page does not overflow (%s px)" % evaluate(page, overflow))
        node = query(page, "#file")
        page.send("DOM.setFileInputFiles", nodeId=node, files=[os.path.abspath(p) for p, _ in digits[:2]])
        answers_js = """Array.from(document.querySelectorAll('#results .one .result:not(.busy)')).map(
            r => (r.querySelector('.digit') || {}).textContent || 'error')"""
        deadline = time.monotonic() + RESULT_TIMEOUT
        answers = []
        while time.monotonic() < deadline and len(answers) < min(2, len(digits)):
            answers = evaluate(page, answers_js) or []
            time.sleep(0.05)
        expected = [str(label) for _, label in digits[:2]]
        check(answers == expected, "two files chosen at once get one answer each: %s (got %s)" % (expected, answers))
        check(evaluate(page, overflow) <= 0, "at 390 px the page with results does not overflow (%s px)"
              % evaluate(page, overflow))
        screenshot_width(page, shots, "narrow-several", NARROW[0])
    finally:
        page.send("Emulation.setDeviceMetricsOverride", width=VIEWPORT[0], height=VIEWPORT[1],
                  deviceScaleFactor=1, mobile=False)


def screenshot_width(page, directory, name, width):
    if not directory:
        return
    size = page.send("Page.getLayoutMetrics")
    size = size.get("cssContentSize", size.get("contentSize"))
    clip = {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}
    data = page.send("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
    path = os.path.join(directory, name + ".png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(data))
    print("screenshot:", path, flush=True)


def pad_box(page):
    """The drawing pad's content box on screen: left, top, width, height (CSS pixels)."""
    node = query(page, "#pad")
    page.send("DOM.scrollIntoViewIfNeeded", nodeId=node)
    quad = page.send("DOM.getBoxModel", nodeId=node)["model"]["content"]
    return quad[0], quad[1], quad[2] - quad[0], quad[5] - quad[1]


def check_drawing(page, url, shots):
    navigate(page, url + "/")
    left, top, width, height = pad_box(page)

    def mouse(kind, fx, fy, buttons=1):
        page.send("Input.dispatchMouseEvent", type=kind, x=left + fx * width, y=top + fy * height,
                  button="left", buttons=buttons, clickCount=1 if kind != "mouseMoved" else 0)

    # A slightly slanted vertical stroke: a 1.
    mouse("mouseMoved", 0.52, 0.18, buttons=0)
    mouse("mousePressed", 0.52, 0.18)
    steps = 12
    for s in range(1, steps + 1):
        mouse("mouseMoved", 0.52 - 0.04 * s / steps, 0.18 + 0.64 * s / steps)
    mouse("mouseReleased", 0.48, 0.82, buttons=0)
    r = wait_result(page, DRAWING)
    check(r["digit"] == "1" and r["bars"] == 10, "a stroke drawn on the pad is read as a 1 (got %r)" % r["digit"])
    screenshot(page, shots, "drawing")


# The page's timers and requests, under the test's control: setTimeout calls of 300 ms
# or more (the pen's rest) are kept, not scheduled, until __rest() runs them; fetch
# calls are counted, and held back while __hold is set, until __release(). So the test
# asserts what the page does after each event, never how long anything took.
INSTRUMENT_JS = """(() => {
  window.__fetches = 0; window.__hold = false; window.__held = []; window.__rests = [];
  const realFetch = window.fetch, realSet = window.setTimeout, realClear = window.clearTimeout;
  window.fetch = function () {
    window.__fetches++;
    const p = realFetch.apply(this, arguments);
    if (!window.__hold) return p;
    return new Promise((resolve, reject) => window.__held.push(() => p.then(resolve, reject)));
  };
  window.__release = () => { const h = window.__held; window.__held = []; h.forEach(f => f()); return h.length; };
  window.setTimeout = function (fn, ms) {
    if (!(ms >= 300)) return realSet.apply(this, arguments);
    window.__rests.push({ fn: fn, ms: ms, live: true });
    return -window.__rests.length;
  };
  window.clearTimeout = function (id) {
    if (typeof id === "number" && id < 0) { window.__rests[-id - 1].live = false; return; }
    return realClear.apply(this, arguments);
  };
  window.__pendingRests = () => window.__rests.filter(t => t.live).map(t => t.ms);
  window.__rest = () => { const live = window.__rests.filter(t => t.live); live.forEach(t => { t.live = false; t.fn(); }); return live.length; };
})()"""


def pad_stroke(page, box, points, press=True, release=True):
    """One stroke through `points` (shares of the pad) with the mouse."""
    left, top, width, height = box

    def at(kind, p, buttons=1):
        page.send("Input.dispatchMouseEvent", type=kind, x=left + p[0] * width, y=top + p[1] * height,
                  button="left", buttons=buttons, clickCount=1 if kind != "mouseMoved" else 0)
    if press:
        at("mouseMoved", points[0], buttons=0)
        at("mousePressed", points[0])
    for p in points[1:]:
        at("mouseMoved", p)
    if release:
        at("mouseReleased", points[-1], buttons=0)


def wait_for(page, expression, what):
    deadline = time.monotonic() + RESULT_TIMEOUT
    while time.monotonic() < deadline:
        value = evaluate(page, expression)
        if value:
            return value
        time.sleep(0.05)
    raise Failure("timed out waiting for " + what)


def check_rest_before_predicting(page, url, shots):
    """'Predict on release' waits for the pen to rest; a new stroke cancels what is pending
    and marks the answer shown as provisional."""
    navigate(page, url + "/")
    box = pad_box(page)
    evaluate(page, INSTRUMENT_JS)
    # A 4 in two strokes (the stress suite's first 4, filling the pad).
    first = [(0.1 + 0.8 * x, 0.1 + 0.8 * y) for x, y in [(.65, 0), (0, .68), (1, .68)]]
    second = [(0.1 + 0.8 * x, 0.1 + 0.8 * y) for x, y in [(.72, .3), (.72, 1)]]
    pad_stroke(page, box, first)
    rests = evaluate(page, "window.__pendingRests()")
    check(evaluate(page, "window.__fetches") == 0 and len(rests) == 1 and 400 <= rests[0] <= 1000,
          "after the first stroke nothing is sent; the page waits for the pen to rest (%s ms)" % rests)
    evaluate(page, "window.__rest()")
    earlier = wait_result(page, DRAWING)
    check(evaluate(page, "window.__fetches") == 1 and not earlier["provisional"],
          "once the pen rested one request was sent and its answer shown (%r)" % earlier["digit"])
    # The second stroke begins: the earlier answer is provisional, nothing is sent while it goes on.
    pad_stroke(page, box, second, release=False)
    r = evaluate(page, RESULT_JS)
    check(r is not None and r["provisional"] and "still drawing" in r["text"],
          "while the next stroke is drawn the earlier answer is shown as provisional")
    pad_stroke(page, box, second[-1:], press=False)
    check(evaluate(page, "window.__fetches") == 1 and len(evaluate(page, "window.__pendingRests()")) == 1,
          "releasing the second stroke sends nothing before the pen rests")
    screenshot(page, shots, "pad-provisional")
    # The pen rests, the request is on its way, and a new stroke (a tap on the 4's own
    # stem, which changes nothing) begins: that request's answer must not be shown.
    evaluate(page, "window.__hold = true")
    evaluate(page, "window.__rest()")
    # The page encodes the pad (toBlob, asynchronous) before it sends: wait for the request.
    wait_for(page, "window.__fetches >= 2", "the second request")
    check(evaluate(page, "window.__fetches") == 2, "after the rest the second request is sent")
    pad_stroke(page, box, [second[-1], second[-1]])
    evaluate(page, "window.__hold = false; window.__release()")
    time.sleep(0.3)  # give a wrongly shown answer the chance to appear (its absence is asserted, not a duration)
    r = evaluate(page, "(" + RESULT_JS + ") || {provisional: true, busy: true}")
    check(r.get("provisional") and r.get("digit") == earlier["digit"],
          "a stroke begun while a request was on its way cancels it: its answer is not shown (%r)" % r)
    check(len(evaluate(page, "window.__pendingRests()")) == 1, "and the page waits for the pen to rest again")
    evaluate(page, "window.__rest()")
    final = wait_for(page, "(() => { const r = " + RESULT_JS + "; return r && !r.provisional && r; })()",
                     "the answer to the finished 4")
    check(evaluate(page, "window.__fetches") == 3 and final["digit"] == "4",
          "the finished drawing gets its own answer: 4 (got %r after %d requests)"
          % (final["digit"], evaluate(page, "window.__fetches")))


def check_narrow_drawing_scrolls(page, url, shots):
    """On a 390 px phone the answer below the pad is scrolled into view after drawing."""
    page.send("Emulation.setDeviceMetricsOverride", width=NARROW[0], height=NARROW[1], deviceScaleFactor=1, mobile=True)
    try:
        navigate(page, url + "/")
        box = pad_box(page)
        pad_stroke(page, box, [(0.52 - 0.04 * s / 12, 0.18 + 0.64 * s / 12) for s in range(13)])
        r = wait_result(page, DRAWING)
        check(r["digit"] == "1", "at 390 px a stroke on the pad reads as a 1 (got %r)" % r["digit"])
        visible = """(() => { const v = document.querySelector('#result .verdict').getBoundingClientRect();
                       return v.top >= 0 && v.bottom <= window.innerHeight; })()"""
        wait_for(page, visible, "the answer to scroll into view at 390 px")
        check(True, "at 390 px the answer is scrolled into view after drawing")
        screenshot_width(page, shots, "narrow-drawing", NARROW[0])
    finally:
        page.send("Emulation.setDeviceMetricsOverride", width=VIEWPORT[0], height=VIEWPORT[1],
                  deviceScaleFactor=1, mobile=False)


def stress_strokes():
    """DIGIT_STROKES and scribble() of scripts/make-stress-set.py (one definition of the strokes)."""
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "make-stress-set.py")
    spec = importlib.util.spec_from_file_location("stress_set", path)
    mod = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(mod)  # needs numpy and PIL
    except ImportError:
        return None
    return mod


# (digit, variant, margin as a share of the pad, pen): the issue-12 cases (a 4,
# a 7 and a 2 filling the pad, a tall 1) and small ones, every pen.
PAD_DRAWINGS = [(4, 0, 0.02, "22"), (7, 0, 0.02, "22"), (2, 0, 0.03, "22"), (1, 0, 0.02, "22"),
                (4, 1, 0.30, "8"), (8, 0, 0.04, "40"), (0, 0, 0.25, "8"), (3, 0, 0.05, "40"),
                (5, 0, 0.10, "22"), (6, 0, 0.03, "8"), (9, 0, 0.20, "40")]


def check_pad_digits(page, url, shots):
    stress = stress_strokes()
    if stress is None:
        print("skipped: the pad digits need numpy and PIL (scripts/make-stress-set.py)")
        return
    navigate(page, url + "/")
    left, top, width, height = pad_box(page)
    evaluate(page, "document.getElementById('auto').checked = false")  # several strokes, then Predict

    def draw(strokes, margin, pen):
        evaluate(page, "document.getElementById('pen').value = '%s'" % pen)
        click(page, "#clear")
        pen_share = float(pen) / 280 / 2
        span = 1 - 2 * (margin + pen_share)
        for stroke in strokes:
            pts = [(margin + pen_share + x * span, margin + pen_share + y * span) for x, y in stroke]
            def at(kind, p, buttons=1):
                page.send("Input.dispatchMouseEvent", type=kind, x=left + p[0] * width, y=top + p[1] * height,
                          button="left", buttons=buttons, clickCount=1 if kind != "mouseMoved" else 0)
            at("mouseMoved", pts[0], buttons=0)
            at("mousePressed", pts[0])
            for p in pts[1:]:
                at("mouseMoved", p)
            at("mouseReleased", pts[-1], buttons=0)
        click(page, "#guess")
        return wait_result(page, DRAWING)

    for i, (digit, variant, margin, pen) in enumerate(PAD_DRAWINGS):
        if i == len(PAD_DRAWINGS) - 1:
            click(page, "#ink")  # black on white for the last one
        r = draw(stress.DIGIT_STROKES[digit][variant], margin, pen)
        check(r["digit"] in (str(digit), str(digit) + "?") and r["kind"] in ("digit", "uncertain"),
              "a %d drawn with the %s px pen at a %d%% margin reads %s (got %r, %s)"
              % (digit, pen, round(margin * 100), digit, r["digit"], r["kind"]))
        if (digit, margin) == (4, 0.02):
            screenshot(page, shots, "pad-big-4")
    # A number written across the pad: two digits side by side, read whole.
    strokes = []
    for k, d in enumerate((4, 7)):
        strokes += [[(0.04 + 0.5 * k + 0.42 * x, 0.15 + 0.7 * y) for x, y in stroke] for stroke in stress.DIGIT_STROKES[d][0]]
    r = draw(strokes, 0.05, "22")
    check(r["kind"] == "number" and r["digit"] == "47",
          "47 written across the pad reads 47, a number (got %r, %s)" % (r["digit"], r["kind"]))
    screenshot(page, shots, "pad-number")
    # A scribble: no digit and no percentage under it.
    r = draw([[(0.1, 0.1), (0.9, 0.3), (0.2, 0.5), (0.8, 0.9), (0.1, 0.9), (0.9, 0.1), (0.5, 0.95), (0.1, 0.4)]], 0.1, "22")
    check(r["kind"] == "not_a_digit" and "%" not in (r["prob"] or "") and r.get("best") is None,
          "a scribble is answered 'Not a digit' with no percentage and no favourite bar (got %r, %r, %r)"
          % (r["kind"], r["prob"], r.get("best")))
    check(r["bars"] == 0 and "%" not in r["text"],
          "under 'Not a digit' the page shows no bars and no percentage anywhere (%d bars, %r)" % (r["bars"], r["text"]))
    screenshot(page, shots, "pad-scribble")
    # An empty pad, and a single tap.
    click(page, "#clear")
    click(page, "#guess")
    r = wait_result(page, DRAWING)
    check(r["kind"] == "empty" and r["heading"] == "Draw a digit", "Predict on an empty pad says 'Draw a digit'")
    r = draw([[(0.5, 0.5)]], 0.45, "8")
    check(r["kind"] in ("empty", "not_a_digit"), "a single tap is no digit (got %r)" % r["kind"])
    screenshot(page, shots, "pad-tap")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    source = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blnk", default=os.path.join(source, "build", "blnk"))
    parser.add_argument("--model", default=os.path.join(source, "models", "mnist.blnk"))
    parser.add_argument("--mnist", default=os.path.join(source, "..", "shared", "data", "mnist"))
    parser.add_argument("--photos", default=os.path.join(source, "..", "shared", "data", "photo-digits"))
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--screenshots", help="folder for PNG screenshots of each step")
    parser.add_argument("--dark", action="store_true", help="emulate prefers-color-scheme: dark")
    args = parser.parse_args()

    chromium = shutil.which(args.chromium)
    if not chromium:
        print("SKIP: no Chromium at %s (apt-get install chromium)" % args.chromium)
        return SKIP
    if not os.access(args.blnk, os.X_OK):
        print("FAIL: no blnk binary at " + args.blnk)
        return 1

    def on_signal(signum, _frame):
        raise Failure("interrupted by signal %d" % signum)
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(s, on_signal)
    signal.alarm(OVERALL_TIMEOUT)

    work = tempfile.mkdtemp(prefix="blnk-browser-")
    server = browser = None
    started = time.monotonic()
    try:
        digits = mnist_digits(args.mnist, work) or photo_digits(args.photos)
        if len(digits) == 0:
            print("SKIP: neither MNIST (%s) nor photo digits (%s)" % (args.mnist, args.photos))
            return SKIP
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
        server, url = start_server(args.blnk, args.model, os.path.join(work, "server.log"))
        print("server:", url, flush=True)
        browser = cdp.Browser.launch(chromium, os.path.join(work, "profile"), os.path.join(work, "chromium.log"))
        page = browser.new_page()
        page.send("Page.enable")
        page.send("Runtime.enable")
        page.send("Emulation.setDeviceMetricsOverride", width=VIEWPORT[0], height=VIEWPORT[1],
                  deviceScaleFactor=1, mobile=False)
        page.send("Emulation.setEmulatedMedia", features=[
            {"name": "prefers-color-scheme", "value": "dark" if args.dark else "light"}])

        check_form_without_js(page, url, digits, args.screenshots)
        check_fetch_with_js(page, url, digits, args.screenshots)
        check_number(page, url, mnist_number(args.mnist, work), args.screenshots)
        check_several_files_narrow(page, url, digits, args.screenshots)
        check_drawing(page, url, args.screenshots)
        check_rest_before_predicting(page, url, args.screenshots)
        check_narrow_drawing_scrolls(page, url, args.screenshots)
        check_pad_digits(page, url, args.screenshots)

        browser.close()
        browser = None
        status = cdp.stop_process_group(server, grace=10.0)
        server = None
        check(status == 0, "blnk serve exits 0 on SIGTERM (got %s)" % status)
        print("PASS in %.1f s" % (time.monotonic() - started))
        return 0
    except (Failure, cdp.CdpError, OSError) as e:
        print("FAIL:", e, flush=True)
        print_logs(work)
        return 1
    finally:
        clean_up(browser, server, work)


if __name__ == "__main__":
    sys.exit(main())
