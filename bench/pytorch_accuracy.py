#!/usr/bin/env python3
"""Accuracy of the seed's model trained by PyTorch with blnk's recipe, for comparing
blnk's accuracy figures with another implementation (not a speed benchmark).

    /usr/bin/python3 bench/pytorch_accuracy.py --data ../shared/data/mnist --epochs 3 --seed 1 [--lr-schedule cosine]
"""
import argparse
import gzip
import math
import struct

import numpy as np
import torch
import torch.nn as nn


def read_idx(path):
    data = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    magic = struct.unpack(">I", data[:4])[0]
    if magic == 0x803:
        n, rows, cols = struct.unpack(">III", data[4:16])
        return np.frombuffer(data[16:], np.uint8).reshape(n, rows, cols)
    return np.frombuffer(data[8:], np.uint8)


def glorot(layer):
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def seed_model():
    conv = lambda i, o: glorot(nn.Conv2d(i, o, 3, padding=1))
    block = lambda i, o: [conv(i, o), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25)]
    return nn.Sequential(*block(1, 32), *block(32, 64), *block(64, 64), nn.Flatten(),
                         glorot(nn.Linear(576, 128)), nn.ReLU(), nn.Dropout(0.25), glorot(nn.Linear(128, 10)))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="../shared/data/mnist")
    ap.add_argument("--images", type=int, default=60000, help="first N training images")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr-schedule", choices=["constant", "cosine"], default="constant",
                    help="as blnk train's: cosine goes from 1e-3 down to 0 over all steps")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    x = torch.tensor(read_idx(f"{a.data}/train-images-idx3-ubyte.gz")[:a.images], dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(read_idx(f"{a.data}/train-labels-idx1-ubyte.gz")[:a.images], dtype=torch.long)
    xt = torch.tensor(read_idx(f"{a.data}/t10k-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    yt = read_idx(f"{a.data}/t10k-labels-idx1-ubyte.gz")
    model = seed_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    total_steps = a.epochs * ((len(x) + a.batch - 1) // a.batch)
    cosine = lambda step: 0.5 * (1 + math.cos(math.pi * min(step, total_steps) / total_steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, cosine if a.lr_schedule == "cosine" else lambda step: 1.0)
    for _ in range(a.epochs):
        model.train()
        perm = torch.randperm(len(x))
        for i in range(0, len(x), a.batch):
            idx = perm[i:i + a.batch]
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
            schedule.step()
    model.eval()
    with torch.no_grad():
        predicted = model(xt).argmax(1).numpy()
    print(f"PyTorch test accuracy: {(predicted == yt).mean():.4f}")


if __name__ == "__main__":
    main()
