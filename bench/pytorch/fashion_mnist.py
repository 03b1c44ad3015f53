#!/usr/bin/python3
"""The PyTorch peer of exprun's Fashion-MNIST benchmark shapes (run by compare.sh, or on its own).

Trains one shape the way exprun's trainer does: the first LIMIT images of the training file, split
train/validation/test by SPLIT, Adam (lr 0.001), cross-entropy, batches that are index_select slices of a
per-epoch random permutation, one torch thread, and a validation pass under no_grad after every epoch.
Prints one line per epoch: epoch, train loss, val loss, val accuracy, train_seconds (the pass over the
training batches) and seconds (training + validation), the same two numbers exprun writes to metrics.csv.

usage: fashion_mnist.py SHAPE [--epochs N] [--limit N] [--batch N] [--data DIR]
  SHAPE: mlp (784-256-128-10), wide (784-512-512-10) or cnn (conv 32, conv 64, batch norm, max pool, dense 128)
"""
import argparse
import gzip
import struct
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

SHAPES = {"mlp": 128, "wide": 128, "cnn": 64}  # default batch size per shape


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def build(shape):
    if shape == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    if shape == "wide":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    # exprun's cnn with channels [32, 64], norm batch, hidden [128]: conv -> norm -> relu -> max pool per block,
    # then linear -> norm -> relu per dense layer, and the output layer.
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 10))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("shape", choices=sorted(SHAPES))
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--limit", type=int, default=12000)
    p.add_argument("--batch", type=int)
    p.add_argument("--split", type=float, nargs=3, default=[0.9, 0.05, 0.05])
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    batch = a.batch or SHAPES[a.shape]

    images = read_idx(f"{a.data}/train-images-idx3-ubyte.gz")[:a.limit]
    labels = read_idx(f"{a.data}/train-labels-idx1-ubyte.gz")[:a.limit]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)  # [N, 1, 28, 28], as exprun's idx loader
    y = torch.from_numpy(labels.astype(np.int64))
    order = torch.randperm(len(y))
    n_train = int(round(a.split[0] * len(y)))
    n_val = int(round(a.split[1] * len(y)))
    x_train, y_train = x[order[:n_train]].contiguous(), y[order[:n_train]].contiguous()
    x_val, y_val = x[order[n_train:n_train + n_val]].contiguous(), y[order[n_train:n_train + n_val]].contiguous()

    model = build(a.shape)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, shape {a.shape}, {n_train} train / {n_val} val rows, batch {batch}")
    print("epoch,train_loss,val_loss,val_accuracy,train_seconds,seconds")
    for epoch in range(1, a.epochs + 1):
        started = time.perf_counter()
        model.train()
        perm = torch.randperm(n_train)
        total = 0.0
        for start in range(0, n_train, batch):
            index = perm[start:start + batch]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x_train.index_select(0, index)), y_train.index_select(0, index))
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        train_seconds = time.perf_counter() - started
        model.eval()
        with torch.no_grad():
            out = model(x_val)
            val_loss = F.cross_entropy(out, y_val).item()
            val_acc = (out.argmax(1) == y_val).float().mean().item()
        print(f"{epoch},{total / n_train:.6f},{val_loss:.6f},{val_acc:.4f},{train_seconds:.4f},{time.perf_counter() - started:.4f}", flush=True)


if __name__ == "__main__":
    main()
