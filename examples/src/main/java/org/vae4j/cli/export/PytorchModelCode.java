package org.vae4j.cli.export;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.vae4j.model.Model;
import org.vae4j.models.Autoencoder;
import org.vae4j.models.VariationalAutoencoder;
import org.vae4j.models.VqVae;
import org.vae4j.tensor.Shape;

/**
 * The generated {@code model.py}: a {@code torch.nn.Module} whose {@code state_dict} is the
 * exported one (its modules come from {@link PytorchLayout}), with the model family's
 * {@code encode}, {@code decode} and {@code forward} written as vae4j computes them, and a
 * safetensors reader (and writer) for machines without the {@code safetensors} package.
 */
final class PytorchModelCode {

    private PytorchModelCode() {
    }

    /** What the Python methods need to know about the model, read from its capabilities. */
    record Family(String name, Shape input, int latent, int classes, String output,
            int positions, int codeDim, int[] grid) {

        boolean conv() {
            return input.rank() == 3;
        }
    }

    /** The family of {@code model}; an error for a model type the export has no methods for. */
    static Family familyOf(Model model) {
        Shape input = model.inputShape();
        if (model instanceof Autoencoder ae) {
            return new Family("autoencoder", input, ae.latentSize(), 0,
                    outputOf(model), 0, 0, null);
        }
        if (model instanceof VariationalAutoencoder vae) {
            String likelihood = vae.likelihood().configName();
            if (!likelihood.equals("bernoulli") && !likelihood.equals("gaussian")) {
                throw new ExportException(model.typeName() + ": the '" + likelihood
                        + "' likelihood has no PyTorch export; bernoulli and gaussian do");
            }
            if (vae.hasFlow()) {
                throw new ExportException(model.typeName() + ": the flow posterior (setting"
                        + " flow=" + model.config().getString("flow", "none") + ") has no"
                        + " PyTorch export; flow none does, and --format onnx exports the flow");
            }
            return new Family("vae", input, vae.latentSize(), vae.numClasses(),
                    likelihood.equals("bernoulli") ? "sigmoid" : "identity", 0, 0, null);
        }
        if (model instanceof VqVae vq) {
            if (vq.pixelCnn() != null) {
                throw new ExportException(model.typeName() + ": the PixelCNN prior (setting"
                        + " prior=pixelcnn) has no PyTorch export (its masked convolutions);"
                        + " the independent prior does");
            }
            int[] grid = vq.gridShape() == null ? null
                    : new int[] {vq.gridShape()[1], vq.gridShape()[2]};
            return new Family("vqvae", input, vq.latentSize(), 0, outputOf(model),
                    vq.positions(), vq.codebook().dim(), grid);
        }
        throw new ExportException("model type '" + model.typeName() + "' ("
                + model.getClass().getName() + ") has no PyTorch export: it knows the"
                + " autoencoder (ae, dae), VAE (vae, cvae, beta-vae) and VQ-VAE families");
    }

    private static String outputOf(Model model) {
        if (!model.config().getString("table-columns", "").isBlank()) {
            throw new ExportException(model.typeName() + ": the per-column table losses"
                    + " (setting table-columns) have no PyTorch export; image and array runs do");
        }
        String out = model.config().getString("output", "sigmoid").trim();
        return out.equalsIgnoreCase("identity") ? "identity" : "sigmoid";
    }

    /** The text of model.py. */
    static String source(Model model, PytorchLayout layout, Family f, String configJson) {
        StringBuilder py = new StringBuilder();
        py.append("\"\"\"A vae4j '").append(model.typeName()).append("' model in PyTorch,"
                + " written by 'vae4j export --format pytorch'.\n\n"
                + "    import model\n"
                + "    m = model.load(\"model.safetensors\")   # Vae4jModel with the exported"
                + " weights, in eval mode\n\n"
                + "The state dict is the module's own: Vae4jModel().load_state_dict(\n"
                + "safetensors.torch.load_file(\"model.safetensors\")) works as well.\n"
                + "\"\"\"\n\n");
        py.append("import json\nimport struct\n\nimport torch\nfrom torch import nn\n\n");
        py.append("CONFIG = json.loads(r'''").append(configJson.strip()).append("''')\n\n");
        py.append(SAFETENSORS);
        if (layout.moduleCode().contains("Codebook(")) {
            py.append(CODEBOOK);
        }
        py.append("\nclass Vae4jModel(nn.Module):\n");
        py.append("    \"\"\"").append(model).append("\"\"\"\n\n");
        py.append("    def __init__(self):\n        super().__init__()\n");
        for (String line : layout.moduleCode().split("\n")) {
            py.append("        ").append(line).append("\n");
        }
        py.append("\n");
        py.append(inputCode(f));
        switch (f.name()) {
            case "autoencoder" -> py.append(autoencoder(f));
            case "vae" -> py.append(vae(f));
            default -> py.append(vqvae(f));
        }
        py.append("\n\ndef load(path=\"model.safetensors\"):\n"
                + "    \"\"\"A Vae4jModel with the weights in path, in eval mode.\"\"\"\n"
                + "    m = Vae4jModel()\n"
                + "    m.load_state_dict(load_file(path))\n"
                + "    return m.eval()\n");
        return py.toString();
    }

    private static String dims(Shape s) {
        return Arrays.stream(s.dims()).mapToObj(Integer::toString)
                .collect(Collectors.joining(", "));
    }

    private static String inputCode(Family f) {
        StringBuilder py = new StringBuilder();
        py.append("    def _input(self, x, y=None):\n"
                + "        \"\"\"The encoder's input: rows or examples of shape ("
                + dims(f.input()) + "), with the one-hot condition y.\"\"\"\n"
                + "        n = x.shape[0]\n");
        if (f.conv()) {
            py.append("        x = x.reshape(n, ").append(dims(f.input())).append(")\n");
            if (f.classes() > 0) {
                py.append("        if y is not None:\n"
                        + "            planes = y.reshape(n, -1, 1, 1).expand(n, y.shape[1], "
                        + f.input().dim(1) + ", " + f.input().dim(2) + ")\n"
                        + "            x = torch.cat([x, planes], 1)\n");
            }
        } else {
            py.append("        x = x.reshape(n, -1)\n");
            if (f.classes() > 0) {
                py.append("        if y is not None:\n"
                        + "            x = torch.cat([x, y], 1)\n");
            }
        }
        py.append("        return x\n\n");
        return py.toString();
    }

    private static String out(Family f, String expr) {
        return f.output().equals("sigmoid") ? "torch.sigmoid(" + expr + ")" : expr;
    }

    private static String autoencoder(Family f) {
        return "    def encode(self, x):\n"
                + "        \"\"\"z = f(x), (n, " + f.latent() + ").\"\"\"\n"
                + "        return self.encoder(self._input(x))\n\n"
                + "    def decode(self, z):\n"
                + "        \"\"\"x_hat = " + (f.output().equals("sigmoid") ? "sigmoid(g(z))"
                : "g(z)") + " as flat rows.\"\"\"\n"
                + "        return " + out(f, "self.decoder(z)") + "\n\n"
                + "    def forward(self, x):\n"
                + "        return self.decode(self.encode(x))\n";
    }

    private static String vae(Family f) {
        int l = f.latent();
        String y = f.classes() > 0 ? ", y" : ", y=None";
        String cond = f.classes() > 0 ? "torch.cat([z, y], 1)" : "z";
        String oneHot = f.classes() == 0 ? "" : "    def one_hot(self, labels):\n"
                + "        \"\"\"The condition y of integer labels.\"\"\"\n"
                + "        return nn.functional.one_hot(labels.long(), " + f.classes()
                + ").float()\n\n";
        return oneHot
                + "    def encode(self, x" + y + "):\n"
                + "        \"\"\"The posterior q(z|x): (mu, logvar), each (n, " + l + ").\"\"\"\n"
                + "        h = self.encoder(self._input(x, y))\n"
                + "        return h[:, :" + l + "], h[:, " + l + ":]\n\n"
                + "    @staticmethod\n"
                + "    def reparameterize(mu, logvar, eps):\n"
                + "        \"\"\"z = mu + sigma * eps, the noise eps ~ N(0, I) given.\"\"\"\n"
                + "        return mu + torch.exp(0.5 * logvar) * eps\n\n"
                + "    def decode_output(self, z" + y + "):\n"
                + "        \"\"\"The decoder's raw output: "
                + (f.output().equals("sigmoid") ? "Bernoulli logits" : "the Gaussian mean")
                + ".\"\"\"\n"
                + "        return self.decoder(" + cond + ")\n\n"
                + "    def decode(self, z" + y + "):\n"
                + "        \"\"\"The mean of p(x|z) as flat rows.\"\"\"\n"
                + "        return " + out(f, "self.decode_output(z, y)") + "\n\n"
                + "    def forward(self, x, eps" + y + "):\n"
                + "        \"\"\"(decoder output, mu, logvar) with z = mu + sigma * eps.\"\"\"\n"
                + "        mu, logvar = self.encode(x, y)\n"
                + "        z = self.reparameterize(mu, logvar, eps)\n"
                + "        return self.decode_output(z, y), mu, logvar\n";
    }

    private static String vqvae(Family f) {
        int m = f.positions();
        int d = f.codeDim();
        StringBuilder py = new StringBuilder();
        py.append("    def encode(self, x):\n"
                + "        \"\"\"z_e, (n, " + m + " * " + d + "): each position's " + d
                + " values in turn.\"\"\"\n"
                + "        n = x.shape[0]\n");
        if (f.conv()) {
            py.append("        h = self.encoder(self._input(x))\n"
                    + "        return h.permute(0, 2, 3, 1).reshape(n, " + m * d + ")\n\n");
        } else {
            py.append("        return self.encoder(self._input(x))\n\n");
        }
        py.append("    def quantize(self, z):\n"
                + "        \"\"\"The nearest code of each of the " + m + " vectors: (n, " + m
                + ").\"\"\"\n"
                + "        n = z.shape[0]\n"
                + "        return self.codebook.nearest(z.reshape(n * " + m + ", " + d
                + ")).reshape(n, " + m + ")\n\n");
        py.append("    def decode_vectors(self, e):\n"
                + "        \"\"\"x_hat from (n * " + m + ", " + d + ") code vectors.\"\"\"\n"
                + "        n = e.shape[0] // " + m + "\n");
        if (f.conv()) {
            py.append("        h = e.reshape(n, " + f.grid()[0] + ", " + f.grid()[1] + ", " + d
                    + ").permute(0, 3, 1, 2)\n");
        } else {
            py.append("        h = e.reshape(n, " + m * d + ")\n");
        }
        py.append("        return " + out(f, "self.decoder(h)") + "\n\n");
        py.append("    def decode_codes(self, codes):\n"
                + "        return self.decode_vectors(self.codebook.embedding(codes.reshape(-1)))\n\n"
                + "    def decode(self, z):\n"
                + "        \"\"\"Quantises z to its nearest codes, then decodes them.\"\"\"\n"
                + "        return self.decode_codes(self.quantize(z))\n\n"
                + "    def forward(self, x):\n"
                + "        \"\"\"(x_hat, z_e, e): the decoder sees e forward and passes its gradient"
                + " to z_e (straight-through).\"\"\"\n"
                + "        z_e = self.encode(x)\n"
                + "        n = z_e.shape[0]\n"
                + "        ze = z_e.reshape(n * " + m + ", " + d + ")\n"
                + "        e = self.codebook.embedding(self.codebook.nearest(ze))\n"
                + "        return self.decode_vectors(ze + (e - ze).detach()), z_e,"
                + " e.reshape(n, -1)\n");
        return py.toString();
    }

    private static final String SAFETENSORS = """
            _DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64,
                       "I32": torch.int32}
            _NAMES = {v: k for k, v in _DTYPES.items()}


            def read_safetensors(path):
                \"""A safetensors file as a dict of tensors: an 8-byte little-endian header length,
                the JSON header, then the raw little-endian data at each tensor's offsets.\"""
                with open(path, "rb") as f:
                    (n,) = struct.unpack("<Q", f.read(8))
                    header = json.loads(f.read(n))
                    data = f.read()
                out = {}
                for name, e in header.items():
                    if name == "__metadata__":
                        continue
                    begin, end = e["data_offsets"]
                    dtype = _DTYPES[e["dtype"]]
                    if end > begin:
                        t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype)
                    else:
                        t = torch.zeros(0, dtype=dtype)
                    out[name] = t.reshape(e["shape"]).clone()
                return out


            def write_safetensors(tensors, path):
                \"""Writes a dict of tensors as a safetensors file (the reader's inverse).\"""
                header, blobs, offset = {}, [], 0
                for name, t in tensors.items():
                    t = t.detach().contiguous().cpu()
                    blob = t.numpy().tobytes() if t.numel() else b""
                    header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape),
                                    "data_offsets": [offset, offset + len(blob)]}
                    blobs.append(blob)
                    offset += len(blob)
                text = json.dumps(header, separators=(",", ":")).encode()
                text += b" " * (-len(text) % 8)
                with open(path, "wb") as f:
                    f.write(struct.pack("<Q", len(text)))
                    f.write(text)
                    for blob in blobs:
                        f.write(blob)


            def load_file(path):
                \"""safetensors.torch.load_file when the package is installed, else the reader
                above.\"""
                try:
                    from safetensors.torch import load_file as st_load
                except ImportError:
                    return read_safetensors(path)
                return st_load(path)

            """;

    private static final String CODEBOOK = """

            class Codebook(nn.Module):
                \"""VQ-VAE's K code vectors of width D, an nn.Embedding, and the nearest-code
                search.\"""

                def __init__(self, size, dim):
                    super().__init__()
                    self.embedding = nn.Embedding(size, dim)

                def nearest(self, z):
                    \"""argmin_k ||z - e_k||^2 of each row of z (N, D).\"""
                    e = self.embedding.weight
                    d = (z * z).sum(1, keepdim=True) - 2 * z @ e.t() + (e * e).sum(1)
                    return d.argmin(1)

            """;
}
