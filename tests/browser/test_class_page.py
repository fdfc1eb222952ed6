#!/usr/bin/env python3
"""The upload page of a class model in headless Chromium: `blnk serve` with a model
trained here (blnk train on a folder of drawn shapes: red or blue squares and circles).

1. JavaScript off: the page lists the class names; a form upload returns the page with
   the answer by name and one bar per class, labelled with the names.
2. JavaScript on: the page is in its mode for classes: the drawing pad is hidden, the
   title says classes; choosing a file shows the answer by name with a bar per class.

Exit 0 when every check passes, 1 on a failure, 77 (ctest's SKIP_RETURN_CODE) without
Chromium or PIL. The server and the browser are always stopped.

    python3 tests/browser/test_class_page.py --blnk build/blnk
"""

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402
import test_page as tp  # noqa: E402  (its page helpers; its main() does not run on import)

CLASSES = ["blue circle", "blue square", "red circle", "red square"]
OVERALL_TIMEOUT = 120  # s, SIGALRM: the test fails rather than hangs


def draw_folder(root, per_class, seed):
    from PIL import Image, ImageDraw
    rng = random.Random(seed)
    for cls in CLASSES:
        os.makedirs(os.path.join(root, cls))
        for i in range(per_class):
            w, h = rng.choice([(32, 32), (48, 32), (32, 44)])
            im = Image.new("RGB", (w, h), (230, 230, 225))
            s = rng.randint(int(min(w, h) * 0.5), int(min(w, h) * 0.75))
            x, y = rng.randint(0, w - s), rng.randint(0, h - s)
            d = ImageDraw.Draw(im)
            colour = (210, 40, 30) if cls.startswith("red") else (30, 40, 200)
            (d.rectangle if "square" in cls else d.ellipse)([x, y, x + s, y + s], fill=colour)
            im.save(os.path.join(root, cls, "%d.png" % i))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--blnk", default=os.path.join(source, "build", "blnk"))
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--screenshots", help="folder for PNG screenshots")
    args = parser.parse_args()
    chromium = shutil.which(args.chromium)
    if not chromium:
        print("SKIP: no Chromium at %s (apt-get install chromium)" % args.chromium)
        return tp.SKIP
    try:
        import PIL  # noqa: F401
    except ImportError:
        print("SKIP: no PIL (python3-pil) to draw the classes")
        return tp.SKIP

    def on_signal(signum, _frame):
        raise tp.Failure("interrupted by signal %d" % signum)
    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(s, on_signal)
    signal.alarm(OVERALL_TIMEOUT)
    work = tempfile.mkdtemp(prefix="blnk-class-browser-")
    server = browser = None
    try:
        draw_folder(os.path.join(work, "train"), 30, 1)
        model = os.path.join(work, "shapes.blnk")
        subprocess.run([args.blnk, "train", "--images", os.path.join(work, "train"), "--image-size", "32x32",
                        "--arch", "conv8,pool,conv16,pool,flatten,dense32,dense4", "--epochs", "20", "--batch-size", "16",
                        "--lr", "0.003", "--threads", "2", "--quiet", "--out", model], check=True)
        upload = os.path.join(work, "train", "red square", "0.png")
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
        server, url = tp.start_server(args.blnk, model, os.path.join(work, "server.log"))
        browser = cdp.Browser.launch(chromium, os.path.join(work, "profile"), os.path.join(work, "chromium.log"))
        page = browser.new_page()
        page.send("Page.enable")
        page.send("Runtime.enable")
        page.send("Emulation.setDeviceMetricsOverride", width=tp.VIEWPORT[0], height=tp.VIEWPORT[1],
                  deviceScaleFactor=1, mobile=False)

        # 1. Without JavaScript.
        page.send("Emulation.setScriptExecutionDisabled", value=True)
        tp.navigate(page, url + "/")
        listed = tp.text_of(page, "#classes")
        tp.check(listed == "4 classes: " + ", ".join(CLASSES), "the page lists the class names (got %r)" % listed)
        tp.set_file(page, "#file", upload)
        page.drop_events("Page.loadEventFired")
        tp.click(page, "#form button[type=submit]")
        page.wait_event("Page.loadEventFired")
        answer = tp.text_of(page, "#result .digit")
        tp.check(answer in CLASSES, "without JS, the answer is a class name (got %r)" % answer)
        tp.check(tp.count(page, "#result .bars li") == 4, "one bar per class")
        labels = [tp.text_of(page, "#result .bars li:nth-child(%d) .label" % (i + 1)) for i in range(4)]
        tp.check(labels == CLASSES, "the bars are labelled with the names (got %s)" % labels)
        page.send("Emulation.setScriptExecutionDisabled", value=False)

        # 2. With JavaScript.
        tp.navigate(page, url + "/")
        tp.check(tp.evaluate(page, "document.documentElement.classList.contains('class-model')"),
                 "with JS, the page is in its mode for classes")
        tp.check(tp.evaluate(page, "getComputedStyle(document.querySelector('.draw')).display") == "none",
                 "the drawing pad is hidden")
        tp.check(tp.evaluate(page, "document.querySelector('h1 span').textContent") == "classes", "the title says classes")
        tp.set_file(page, "#file", upload)
        result_js = """(() => { const r = document.getElementById("result");
          if (!r || r.classList.contains("busy")) return null;
          return {name: (r.querySelector(".digit.name") || {}).textContent || null,
                  labels: Array.from(r.querySelectorAll(".bars .label")).map(l => l.textContent),
                  best: (r.querySelector(".bars li.best .label") || {}).textContent,
                  error: r.classList.contains("error") ? r.textContent : null}; })()"""
        r = None
        for _ in range(600):
            r = tp.evaluate(page, result_js)
            if r and (r["name"] or r["error"]):
                break
            page.send("Runtime.evaluate", expression="new Promise(f => setTimeout(f, 50))", awaitPromise=True)
        tp.check(r is not None and not r["error"] and r["name"] in CLASSES,
                 "with JS, choosing a file shows the class by name (got %s)" % r)
        tp.check(r["labels"] == CLASSES and r["best"] == r["name"], "the bars are the classes, the answer's highlighted")
        tp.screenshot(page, args.screenshots, "class-result")

        browser.close()
        browser = None
        status = cdp.stop_process_group(server, grace=10.0)
        server = None
        tp.check(status == 0, "blnk serve exits 0 on SIGTERM (got %s)" % status)
        print("PASS")
        return 0
    except (tp.Failure, cdp.CdpError, OSError, subprocess.CalledProcessError) as e:
        print("FAIL:", e, flush=True)
        tp.print_logs(work)
        return 1
    finally:
        tp.clean_up(browser, server, work)


if __name__ == "__main__":
    sys.exit(main())
