"""Runs exported vae4j models in PyTorch and compares them with vae4j's outputs.

usage: check_pytorch.py check EXPORT_DIR...    each folder holds check.safetensors (inputs x,
                                               optional y, z and vae4j's enc, dec)
       check_pytorch.py train EXPORT_DIR OUT   trains the exported module a few steps in
                                               PyTorch; OUT gets its state dict (written by
                                               model.py's writer) and, in OUT.io, z, y, dec
Prints one line per folder: the largest difference relative to the largest magnitude.
"""
import importlib.util
import sys

import torch


def load_module(folder):
    spec = importlib.util.spec_from_file_location("model_" + str(abs(hash(folder))),
                                                  folder + "/model.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def relative(a, b):
    scale = max(float(b.abs().max()), 1e-30)
    return float((a - b).abs().max()) / scale


def check(folder):
    mod = load_module(folder)
    m = mod.load(folder + "/model.safetensors")
    io = mod.read_safetensors(folder + "/check.safetensors")
    x, z = io["x"], io["z"]
    y = io.get("y")
    family = mod.CONFIG["family"]
    with torch.no_grad():
        if family == "vae":
            enc = m.encode(x, y)[0]
            dec = m.decode(z, y)
        else:
            enc = m.encode(x)
            dec = m.decode(z)
    r = max(relative(enc, io["enc"]), relative(dec, io["dec"]))
    ok = r <= 1e-5 and enc.shape == io["enc"].shape and dec.shape == io["dec"].shape
    print("%s %s %.3g" % ("ok" if ok else "FAIL", folder, r))
    return ok


def train(folder, out):
    mod = load_module(folder)
    torch.manual_seed(0)
    m = mod.Vae4jModel()
    opt = torch.optim.Adam(m.parameters(), lr=1e-2)
    n, width = 16, 1
    for d in mod.CONFIG["input_shape"]:
        width *= d
    classes = mod.CONFIG["classes"]
    latent = mod.CONFIG["latent"]
    for _ in range(3):
        x = torch.rand(n, width)
        y = m.one_hot(torch.randint(0, classes, (n,))) if classes else None
        if mod.CONFIG["family"] == "vae":
            logits, mu, logvar = m(x, torch.randn(n, latent), y)
            loss = nn_loss(logits, x) - 0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum()
        else:
            x_hat = m(x)
            if isinstance(x_hat, tuple):
                x_hat = x_hat[0]
            loss = ((x_hat - x) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    m.eval()
    mod.write_safetensors(m.state_dict(), out)
    z = torch.randn(5, latent)
    y = m.one_hot(torch.arange(5) % classes) if classes else None
    with torch.no_grad():
        dec = m.decode(z, y) if mod.CONFIG["family"] == "vae" else m.decode(z)
    io = {"z": z, "dec": dec}
    if y is not None:
        io["y"] = y
    mod.write_safetensors(io, out + ".io")
    print("trained", folder, float(loss))


def nn_loss(logits, x):
    return torch.nn.functional.binary_cross_entropy_with_logits(logits, x, reduction="sum")


if __name__ == "__main__":
    torch.set_num_threads(1)
    if sys.argv[1] == "check":
        results = [check(f) for f in sys.argv[2:]]
        sys.exit(0 if all(results) else 1)
    train(sys.argv[2], sys.argv[3])
