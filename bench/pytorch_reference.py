#!/usr/bin/python3
"""The seed's model in PyTorch, the opponent of blnk in bench/compare.sh.

Same model as blnk's kDefaultSpec: Conv2d 3x3 'same' + ReLU + MaxPool2d(2) +
Dropout(0.25) with 32, 64, 64 filters, Flatten, Linear 576->128 + ReLU + Dropout,
Linear 128->10; Glorot-uniform kernels, zero biases; Adam (lr 1e-3, eps 1e-7);
batch 64; the same gzip IDX files, read here with gzip + numpy.

--model resnet trains instead the small residual network of issue 22,
blnk's `conv32,bn,res32,res64:s=2,res128:s=2,gap,dense10`: Conv2d 3x3 + BatchNorm2d +
ReLU, three basic blocks (conv 3x3, bn, ReLU, conv 3x3, bn, + the input or a 1x1 conv
+ bn where the shape changes, ReLU), global average pooling, Linear 128->10; the
convolutions with biases as blnk's, bn with blnk's (Keras's) epsilon 1e-3 and momentum
0.99 (torch's 0.01), the same Glorot-uniform init, Adam and batch.

Prints one JSON line per measurement, in the format of blnk_bench_e2e:
  --mode train     one epoch (batch 64), images/s over the epoch
  --mode fit       issue 22's recipe, the peer of `blnk train`: --epochs over the
                   training set with --augment (blnk's crop and crop-flip: zero padding
                   of 1/8 of the side, a random window, a mirror half of the time) and
                   --lr-schedule (cosine per step, as blnk's train/schedule.cpp), then
                   the test set's accuracy in eval mode (bn's running averages); with
                   --checkpoint FILE each epoch is saved and a run started again goes on
                   from the last one bit for bit (a long peer run may span sessions)
  --mode latency   single-image inference, median and p99 over --runs runs, 1 thread
  --mode batch     batch-256 inference over the 10k test images, images/s

Run it with /usr/bin/python3 (Debian's python3-torch); bench/tuned_torch.sh runs it
in the tuned configuration of issue 6 (OpenMP OpenBLAS, tcmalloc, SkylakeX kernels).

Best practice for speed, each measured here: the whole data set preloaded as one
float tensor (no DataLoader), batches gathered with index_select, gradients set to
None instead of zeroed, Adam's foreach implementation, model.eval() and
torch.inference_mode() for inference, and for inference a frozen TorchScript module
(torch.jit.freeze + optimize_for_inference: conv+ReLU fused, weights prepacked for
oneDNN). channels_last memory format throughout (measured faster here for training and
batch inference). --layout contiguous and --no-jit select the alternatives.
"""
import argparse
import gzip
import json
import os
import re
import resource
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# Multiply-adds counted as two, per image, forward (the same count as blnk's
# Network::forward_flops()); training counts three forwards per image.
FORWARD_FLOPS = 2 * (28 * 28 * 32 * 9 * 1 + 14 * 14 * 64 * 9 * 32 + 7 * 7 * 64 * 9 * 64 + 576 * 128 + 128 * 10)


def read_idx(path, magic):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    got = int.from_bytes(data[0:4], "big")
    if got != magic:
        raise SystemExit(f"{path}: IDX magic {got:#010x}, expected {magic:#010x}")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(data_dir, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"{data_dir}: no {stem}[.gz]")


def load_class_folder(folder, classes=None):
    """A folder of classes (one subfolder per class, named as the class, sorted by name as
    blnk sorts them) of pictures that all have one size: (N, H, W, C) uint8 and labels."""
    from PIL import Image
    names = classes or sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)))
    images, labels = [], []
    for label, name in enumerate(names):
        for f in sorted(os.listdir(os.path.join(folder, name))):
            images.append(np.asarray(Image.open(os.path.join(folder, name, f)).convert("RGB")))
            labels.append(label)
    return np.stack(images), np.array(labels, np.uint8), names


def load(data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(find(data_dir, f"{prefix}-images-idx3-ubyte"), 0x00000803)
    labels = read_idx(find(data_dir, f"{prefix}-labels-idx1-ubyte"), 0x00000801)
    return images, labels


def make_model():
    def block(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25)]

    model = nn.Sequential(
        *block(1, 32), *block(32, 64), *block(64, 64),
        nn.Flatten(),
        nn.Linear(576, 128), nn.ReLU(), nn.Dropout(0.25),
        nn.Linear(128, 10))
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


class BasicBlock(nn.Module):
    """blnk's res<F>[:s=2]: conv, bn, ReLU, conv, bn, + shortcut, ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        bn = lambda c: nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)  # noqa: E731
        self.conv1, self.bn1 = nn.Conv2d(cin, cout, 3, stride, 1), bn(cout)
        self.conv2, self.bn2 = nn.Conv2d(cout, cout, 3, 1, 1), bn(cout)
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride), bn(cout))

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(y + (x if self.shortcut is None else self.shortcut(x)))


def make_resnet(channels=1, classes=10):
    # Same padding: blnk pads stride-2 3x3 convolutions on 28x28 with [0, 1] (Keras's); torch
    # pads 1 on both sides. The output sizes (14, 7) and the work are the same.
    model = nn.Sequential(
        nn.Conv2d(channels, 32, 3, padding=1), nn.BatchNorm2d(32, eps=1e-3, momentum=0.01), nn.ReLU(),
        BasicBlock(32, 32, 1), BasicBlock(32, 64, 2), BasicBlock(64, 128, 2),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, classes))
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def to_tensor(images, layout):
    x = torch.from_numpy(images.astype(np.float32)).div_(255.0)
    x = x.permute(0, 3, 1, 2) if x.ndim == 4 else x.unsqueeze(1)  # (N, C, H, W)
    return x.contiguous(memory_format=torch.channels_last if layout == "channels_last" else torch.contiguous_format)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def emit(record):
    record = {"engine": "torch", **record, "peak_rss_mb": round(peak_rss_mb(), 1)}
    print(json.dumps(record), flush=True)


def inference_model(model, example, use_jit):
    model.eval()
    if not use_jit:
        return model
    with torch.inference_mode():
        traced = torch.jit.trace(model, example)
        return torch.jit.optimize_for_inference(torch.jit.freeze(traced))


def run_train(args):
    images, labels = load(args.data, "train")
    if args.limit > 0:
        images, labels = images[: args.limit], labels[: args.limit]
    x = to_tensor(images, args.layout)
    y = torch.from_numpy(labels.astype(np.int64))
    del images
    model = make_resnet() if args.model == "resnet" else make_model()
    if args.layout == "channels_last":
        model = model.to(memory_format=torch.channels_last)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7, foreach=not args.no_foreach)
    gen = torch.Generator().manual_seed(args.seed)
    n, batch = x.shape[0], args.batch
    loss_sum, correct = 0.0, 0
    start = time.perf_counter()
    order = torch.randperm(n, generator=gen)
    for b in range(0, n, batch):
        idx = order[b: b + batch]
        xb, yb = x.index_select(0, idx), y.index_select(0, idx)
        out = model(xb)
        loss = F.cross_entropy(out, yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if args.track:  # off by default: .item() syncs nothing on CPU but costs a little
            loss_sum += loss.item() * len(idx)
            correct += int((out.argmax(1) == yb).sum())
    seconds = time.perf_counter() - start
    rate = n / seconds
    record = {"mode": "train", "model": args.model, "threads": args.threads, "batch": batch, "images": n,
              "seconds": round(seconds, 3), "images_per_s": round(rate, 1)}
    if args.model == "seed":
        record["gflops"] = round(rate * 3 * FORWARD_FLOPS * 1e-9, 1)
    if args.track:
        record.update(loss=round(loss_sum / n, 4), accuracy=round(correct / n, 4))
    emit(record)


def crop_pad(side):
    """blnk's data/augment.h crop_pad: 1/8 of the side, at least 1 pixel."""
    return max(1, (side + 4) // 8)


def augmented_batch(padded, idx, side, pad, flip, gen):
    """Each image of the batch cut from its zero-padded copy at a random offset in
    [0, 2 * pad] per axis and, with flip, mirrored left to right with probability 1/2:
    one gather for the whole batch."""
    b = idx.shape[0]
    ar = torch.arange(side)
    oy = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
    ox = torch.randint(0, 2 * pad + 1, (b,), generator=gen)
    rows = oy[:, None] + ar
    cols = ox[:, None] + ar
    if flip:
        mirror = torch.rand(b, generator=gen) < 0.5
        cols = torch.where(mirror[:, None], ox[:, None] + (side - 1) - ar, cols)
    out = padded[idx[:, None, None], :, rows[:, :, None], cols[:, None, :]]  # (B, H, W, C)
    return out.permute(0, 3, 1, 2)


def checkpoint_key(args):
    """What a checkpoint must agree on to be continued (the epoch count too: the schedule depends on it)."""
    return {k: getattr(args, k) for k in ("model", "data", "images", "limit", "batch", "epochs", "lr", "lr_schedule",
                                          "augment", "seed", "layout", "threads")}


def run_fit(args):
    if args.images:
        images, labels, names = load_class_folder(args.images)
        test_images, test_labels, _ = load_class_folder(args.images_test, names)
    else:
        images, labels = load(args.data, "train")
        test_images, test_labels = load(args.data, "test")
        names = [str(d) for d in range(10)]
    if args.limit > 0:
        images, labels = images[: args.limit], labels[: args.limit]
    side = images.shape[1]
    channels = images.shape[3] if images.ndim == 4 else 1
    x = to_tensor(images, "contiguous")
    y = torch.from_numpy(labels.astype(np.int64))
    pad = crop_pad(side)
    padded = F.pad(x, (pad, pad, pad, pad)) if args.augment != "none" else None
    if args.layout == "channels_last":
        x = x.contiguous(memory_format=torch.channels_last)
    model = make_resnet(channels, len(names)) if args.model == "resnet" else make_model()
    if args.layout == "channels_last":
        model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, eps=1e-7, foreach=not args.no_foreach)
    gen = torch.Generator().manual_seed(args.seed)
    n, batch = x.shape[0], args.batch
    steps_per_epoch = (n + batch - 1) // batch
    total = steps_per_epoch * args.epochs
    step, first_epoch, earlier_seconds = 0, 0, 0.0
    if args.checkpoint and os.path.exists(args.checkpoint):
        # A run longer than a session goes on where its last epoch ended, bit for bit:
        # the model, Adam's moments and the generator that shuffles and augments.
        state = torch.load(args.checkpoint, weights_only=False)
        if state["args"] != checkpoint_key(args):
            sys.exit(f"{args.checkpoint}: written by another run ({state['args']}), not this one")
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        gen.set_state(state["generator"])
        first_epoch, step, earlier_seconds = state["epoch"], state["step"], state["seconds"]
        print(json.dumps({"resumed_after_epoch": first_epoch}), file=sys.stderr, flush=True)
    start = time.perf_counter() - earlier_seconds
    for epoch in range(first_epoch, args.epochs):
        model.train()
        order = torch.randperm(n, generator=gen)
        loss_sum, correct = 0.0, 0
        for b in range(0, n, batch):
            idx = order[b: b + batch]
            if padded is not None:
                xb = augmented_batch(padded, idx, side, pad, args.augment == "crop-flip", gen)
                if args.layout == "channels_last":
                    xb = xb.contiguous(memory_format=torch.channels_last)
            else:
                xb = x.index_select(0, idx)
            yb = y.index_select(0, idx)
            if args.lr_schedule == "cosine":
                for group in opt.param_groups:
                    group["lr"] = args.lr * 0.5 * (1.0 + np.cos(np.pi * min(step, total) / total))
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            loss_sum += loss.item() * len(idx)
            correct += int((out.argmax(1) == yb).sum())
        print(json.dumps({"epoch": epoch + 1, "loss": round(loss_sum / n, 4), "accuracy": round(correct / n, 4),
                          "seconds": round(time.perf_counter() - start, 1)}), file=sys.stderr, flush=True)
        if args.checkpoint:
            torch.save({"args": checkpoint_key(args), "model": model.state_dict(), "optimizer": opt.state_dict(),
                        "generator": gen.get_state(), "epoch": epoch + 1, "step": step,
                        "seconds": time.perf_counter() - start}, args.checkpoint + ".tmp")
            os.replace(args.checkpoint + ".tmp", args.checkpoint)
    seconds = time.perf_counter() - start
    model.eval()
    tx = to_tensor(test_images, args.layout)
    ty = torch.from_numpy(test_labels.astype(np.int64))
    right = 0
    with torch.inference_mode():
        for b in range(0, tx.shape[0], 256):
            right += int((model(tx[b: b + 256]).argmax(1) == ty[b: b + 256]).sum())
    emit({"mode": "fit", "model": args.model, "threads": args.threads, "batch": batch, "epochs": args.epochs,
          "augment": args.augment, "lr": args.lr, "lr_schedule": args.lr_schedule, "seed": args.seed,
          "images": n, "seconds": round(seconds, 1), "images_per_s": round(n * args.epochs / seconds, 1),
          "test_accuracy": round(right / tx.shape[0], 5)})


def run_latency(args):
    torch.set_num_threads(1)
    images, _ = load(args.data, "test")
    x = to_tensor(images, args.layout)
    model = make_model()
    if args.layout == "channels_last":
        model = model.to(memory_format=torch.channels_last)
    model = inference_model(model, x[:1], not args.no_jit)
    times = []
    with torch.inference_mode():
        for i in range(args.warmup):
            F.softmax(model(x[i % len(x): i % len(x) + 1]), dim=1)
        for i in range(args.runs):
            j = (args.warmup + i) % len(x)
            xi = x[j: j + 1]
            t0 = time.perf_counter()
            F.softmax(model(xi), dim=1)
            times.append((time.perf_counter() - t0) * 1e6)
    s = sorted(times)
    median = s[len(s) // 2]
    emit({"mode": "latency", "threads": 1, "runs": args.runs, "median_us": round(median, 1),
          "p99_us": round(s[min(len(s) - 1, int(len(s) * 0.99))], 1),
          "mean_us": round(statistics.fmean(times), 1), "min_us": round(s[0], 1),
          "gflops": round(FORWARD_FLOPS / (median * 1e-6) * 1e-9, 1)})


def run_batch(args):
    images, _ = load(args.data, "test")
    x = to_tensor(images, args.layout)
    del images
    model = make_model()
    if args.layout == "channels_last":
        model = model.to(memory_format=torch.channels_last)
    batch = args.batch
    model = inference_model(model, x[:batch], not args.no_jit)
    n = x.shape[0]

    def one_pass(count):
        for b in range(0, count, batch):
            F.softmax(model(x[b: b + batch]), dim=1)

    rates = []
    with torch.inference_mode():
        one_pass(batch)  # warm-up
        for _ in range(args.passes):
            t0 = time.perf_counter()
            one_pass(n)
            rates.append(n / (time.perf_counter() - t0))
    rate = sorted(rates)[len(rates) // 2]
    emit({"mode": "batch", "threads": args.threads, "batch": batch, "images": n, "passes": args.passes,
          "images_per_s": round(rate, 1), "gflops": round(rate * FORWARD_FLOPS * 1e-9, 1)})


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mode", required=True, choices=["train", "fit", "latency", "batch", "config"])
    p.add_argument("--data", default="/work/shared/data/mnist")
    p.add_argument("--model", choices=["seed", "resnet"], default="seed",
                   help="train: the seed's model or issue 22's residual network")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (latency: always 1)")
    p.add_argument("--batch", type=int, help="train: 64, batch: 256")
    p.add_argument("--limit", type=int, default=0, help="train: first N training images (0: all)")
    p.add_argument("--runs", type=int, default=2000)
    p.add_argument("--warmup", type=int, default=200)
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--layout", choices=["contiguous", "channels_last"], default="channels_last")
    p.add_argument("--no-jit", action="store_true", help="inference in eager mode")
    p.add_argument("--no-foreach", action="store_true", help="Adam's per-tensor loop")
    p.add_argument("--epochs", type=int, default=1, help="fit: epochs")
    p.add_argument("--checkpoint", help="fit: save each epoch here, and continue from it when it exists")
    p.add_argument("--lr", type=float, default=1e-3, help="fit: Adam's learning rate")
    p.add_argument("--lr-schedule", choices=["constant", "cosine"], default="constant", help="fit")
    p.add_argument("--augment", choices=["none", "crop", "crop-flip"], default="none", help="fit")
    p.add_argument("--images", help="fit: a folder of classes of one picture size (instead of --data's IDX)")
    p.add_argument("--images-test", help="fit: its test folder, read with its classes")
    p.add_argument("--track", action="store_true", help="train: also report loss and accuracy")
    args = p.parse_args()
    if args.batch is None:
        args.batch = 64 if args.mode in ("train", "fit") else 256
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    if args.mode == "config":  # what this process really runs on: its BLAS, allocator, threads
        torch.zeros(8, 8) @ torch.zeros(8, 8)
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f
                           if re.search(r"blas|lapack|tcmalloc|gomp|dnnl", line.split()[-1])})
        emit({"mode": "config", "torch": torch.__version__, "threads": torch.get_num_threads(),
              "mkldnn": torch.backends.mkldnn.is_available(),
              "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""), "libraries": libs})
        return
    {"train": run_train, "fit": run_fit, "latency": run_latency, "batch": run_batch}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
