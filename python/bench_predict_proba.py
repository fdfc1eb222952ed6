"""Times blnk.Model.predict_proba on the 10,000 MNIST test images in one call (the
batch-inference figure of docs/benchmarks.md; compare with
build/bench/blnk_bench_e2e --mode batch --threads 2).

  PYTHONPATH=build/python /usr/bin/python3 python/bench_predict_proba.py [--threads 2] [--passes 7] [DATA_DIR]
"""
import argparse
import gzip
import json
import os
import statistics
import time

import numpy as np

import blnk


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared",
                                                                "data", "mnist"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--passes", type=int, default=7)
    args = parser.parse_args()
    path = os.path.join(args.data, "t10k-images-idx3-ubyte.gz")
    x = np.frombuffer(gzip.open(path).read(), np.uint8, offset=16).reshape(-1, 28, 28)
    model = blnk.Model(blnk.bundled_model, threads=args.threads)
    for dtype, images in (("uint8", x), ("float32", x.astype(np.float32) * np.float32(1 / 255))):
        model.predict_proba(images[:256])  # warm-up: threads started, workspaces planned
        seconds = []
        for _ in range(args.passes):
            start = time.perf_counter()
            model.predict_proba(images)
            seconds.append(time.perf_counter() - start)
        median = statistics.median(seconds)
        print(json.dumps({"engine": "blnk-python", "dtype": dtype, "threads": args.threads, "images": len(images),
                          "passes": args.passes, "median_s": round(median, 4),
                          "images_per_s": round(len(images) / median, 1)}))


if __name__ == "__main__":
    main()
