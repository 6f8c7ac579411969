#!/usr/bin/env python3
"""The reference convolutional MNIST VAE in PyTorch, timed per epoch.

The model `vae4j train --model vae --arch conv` builds by default, layer for layer: encoder
Conv(1->32, k4, s2, p1)-ReLU-Conv(32->64, k4, s2, p1)-ReLU-Flatten-Linear(3136 -> 2*16);
decoder Linear(16 -> 3136)-ReLU-Unflatten(64x7x7)-ConvT(64->32, k4, s2, p1)-ReLU-
ConvT(32->1, k4, s2, p1) giving logits; Bernoulli likelihood (summed BCE with logits), the
analytic KL, Adam 1e-3, batch 128. MNIST comes from vae4j's cache (~/.vae4j/data/mnist, filled
by any `./vae4j train`) and is held in memory as float32, so the epoch time is the model's.

    OPENBLAS_NUM_THREADS=2 python3 examples/reference/pytorch_conv_vae.py --threads 2 --epochs 3
"""
import argparse
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from pytorch_vae import fit, read_idx

LATENT = 16


class ConvVAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(),
            nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),
            nn.Flatten(), nn.Linear(3136, 2 * LATENT))
        self.decoder = nn.Sequential(
            nn.Linear(LATENT, 3136), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
            nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def forward(self, x):
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.decoder(z), mu, logvar


def loss_function(logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default=os.path.expanduser("~/.vae4j/data/mnist"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    def images(name):
        return torch.from_numpy(read_idx(os.path.join(args.data, name)).reshape(-1, 1, 28, 28)
                                .astype(np.float32) / 255)

    train = images("train-images-idx3-ubyte")
    test = images("t10k-images-idx3-ubyte")
    model = ConvVAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s),"
          f" OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')},"
          f" {sum(p.numel() for p in model.parameters())} parameters")
    fit(model, optimizer, loss_function, train, test, args.epochs)


if __name__ == "__main__":
    main()
