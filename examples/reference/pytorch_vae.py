#!/usr/bin/env python3
"""The classic PyTorch MNIST VAE (pytorch/examples' vae/main.py), timed per epoch.

The reference for the speed table in the README: 784-400-20-400-784, ReLU, sigmoid output with
summed binary cross-entropy, the analytic KL, Adam 1e-3, batch 128. MNIST comes from vae4j's
cache (~/.vae4j/data/mnist, filled by any `./vae4j train`) and is held in memory as float32, so
the epoch time is the model's, not a data pipeline's.

    OPENBLAS_NUM_THREADS=2 python3 examples/reference/pytorch_vae.py --threads 1 --epochs 10
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def forward(self, x):
        h1 = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h1), self.fc22(h1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def fit(model, optimizer, loss_function, train, test, epochs, batch=128):
    """Trains for `epochs` epochs, printing each epoch's time and train and test loss per example.

    `model(x)` returns (output, mu, logvar); the loss is `loss_function(output, x, mu, logvar)`,
    summed over the batch."""
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(train))
        start = time.perf_counter()
        total = 0.0
        for i in range(0, len(train), batch):
            x = train[order[i:i + batch]]
            optimizer.zero_grad()
            out, mu, logvar = model(x)
            loss = loss_function(out, x, mu, logvar)
            loss.backward()
            optimizer.step()
            total += loss.item()
        seconds = time.perf_counter() - start
        model.eval()
        with torch.no_grad():
            test_loss = 0.0
            for i in range(0, len(test), batch):
                x = test[i:i + batch]
                out, mu, logvar = model(x)
                test_loss += loss_function(out, x, mu, logvar).item()
            test_loss /= len(test)
        print(f"epoch {epoch}: {seconds:.2f} s ({len(train) / seconds:.0f} samples/s),"
              f" train loss {total / len(train):.2f}, test loss {test_loss:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--flush-denormal", action="store_true",
                        help="torch.set_flush_denormal(True): subnormal floats become zero")
    parser.add_argument("--data", default=os.path.expanduser("~/.vae4j/data/mnist"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(args.flush_denormal)
    torch.manual_seed(args.seed)

    train = torch.from_numpy(
        read_idx(os.path.join(args.data, "train-images-idx3-ubyte")).reshape(-1, 784)
        .astype(np.float32) / 255)
    test = torch.from_numpy(
        read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte")).reshape(-1, 784)
        .astype(np.float32) / 255)
    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s),"
          f" OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')},"
          f" flush denormals: {args.flush_denormal}")
    fit(model, optimizer, loss_function, train, test, args.epochs)


if __name__ == "__main__":
    main()
