#!/usr/bin/env bash
# The classic MNIST VAE in vae4j (bench: tensorflow, nd4j, ejml) and in the references (PyTorch
# at its best setting, DJL with its PyTorch engine, DL4J's VariationalAutoencoder layer), run back
# to back, ROUNDS times interleaved, in one session. Prints each program's median ms per step and
# seconds per epoch and its ratio to PyTorch, as a Markdown table; the raw output of every run
# stays in OUT (default: a new temporary folder).
#
# vae4j bench times STEPS steps after its warm-up (EJML a third of them); DJL and DL4J run EPOCHS
# epochs of STEPS steps each (the first epoch is their warm-up); PyTorch runs EPOCHS whole epochs.
# Every "s per epoch" is 60,000 examples at the mean step, as vae4j bench quotes it, except
# PyTorch's, which is its measured epoch.
#
#   examples/reference/side_by_side.sh [ROUNDS [EPOCHS [STEPS]]]    (default 3, 4, 300)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-3}"
epochs="${2:-4}"
steps="${3:-300}"
out="${OUT:-$(mktemp -d)}"
mkdir -p "$out"
echo "raw output in $out" >&2

# build everything first, so that no build runs beside a timed run
"$root/vae4j" backends >/dev/null
(cd "$here/djl" && mvn -B -ntp -q ${MAVEN_ARGS:-} compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt)
(cd "$here/dl4j" && mvn -B -ntp -q ${MAVEN_ARGS:-} compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt)

for round in $(seq 1 "$rounds"); do
    echo "round $round of $rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    for backend in tensorflow nd4j ejml; do
        timed="$steps"
        [ "$backend" = ejml ] && timed=$((steps / 3))
        "$root/vae4j" bench --backend "$backend" --steps "$timed" --json \
            > "$out/vae4j-$backend-$round.json"
    done
    OPENBLAS_NUM_THREADS=2 "${PYTHON:-/usr/bin/python3}" "$here/pytorch_vae.py" --threads 1 --flush-denormal \
        --epochs "$epochs" > "$out/pytorch-$round.txt"
    for threads in "1 1" "2 1" "1 2" "2 2"; do
        set -- $threads
        MAVEN_ARGS=-o "$here/djl/run" --threads "$1" --interop "$2" --epochs "$epochs" \
            --steps "$steps" > "$out/djl-$1-$2-$round.txt" 2>/dev/null
    done
    for blas in 1 2; do
        MAVEN_ARGS=-o "$here/dl4j/run" --blas-threads "$blas" --epochs "$epochs" \
            --steps "$steps" > "$out/dl4j-$blas-$round.txt" 2>/dev/null
    done
done
echo "done, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$out" <<'PY'
import glob, json, os, re, statistics, sys

out = sys.argv[1]
STEPS_PER_EPOCH = 60000 / 128

def references(pattern):
    """Median over runs of each run's median epoch (epoch 1 left out: warm-up)."""
    epochs, steps = [], []
    for path in sorted(glob.glob(os.path.join(out, pattern))):
        text = open(path).read()
        times = [float(m.group(1)) for m in re.finditer(r"^epoch \d+: ([\d.]+) s", text, re.M)]
        # at the mean step, where the program says it
        quoted = [float(m.group(1)) for m in re.finditer(r"= ([\d.]+) s per 60000 examples", text)]
        if quoted:
            times = quoted
        ms = [float(m.group(1)) for m in re.finditer(r"([\d.]+) ms/step median", text)]
        if len(times) > 1:
            times, ms = times[1:], ms[1:]
        if times:
            epochs.append(statistics.median(times))
            steps.append(statistics.median(ms) if ms else statistics.median(times) * 1e3 / STEPS_PER_EPOCH)
    return (statistics.median(steps), statistics.median(epochs), len(epochs)) if epochs else None

rows = []
for backend in ["tensorflow", "nd4j", "ejml"]:
    runs = [json.loads(open(p).read().splitlines()[0])
            for p in sorted(glob.glob(os.path.join(out, f"vae4j-{backend}-*.json")))]
    if runs:
        rows.append((f"vae4j {backend}", "default (2 threads)",
                     statistics.median(r["ms_per_step"] for r in runs),
                     statistics.median(r["epoch_seconds"] for r in runs), len(runs)))
r = references("pytorch-*.txt")
if r:
    rows.append(("PyTorch", "1 thread, OpenBLAS 2, flush denormals", *r))
for t in ["1-1", "2-1", "1-2", "2-2"]:
    r = references(f"djl-{t}-*.txt")
    if r:
        intra, inter = t.split("-")
        rows.append(("DJL 0.36 / PyTorch 2.7.1", f"intra-op {intra}, inter-op {inter}", *r))
for b in ["1", "2"]:
    r = references(f"dl4j-{b}-*.txt")
    if r:
        rows.append(("DL4J 1.0.0-M2.1", f"OMP 1, BLAS {b}", *r))

torch = next((row[3] for row in rows if row[0] == "PyTorch"), None)
print("| program | setting | ms per step | s per epoch | × PyTorch | runs |")
print("| --- | --- | --- | --- | --- | --- |")
for name, setting, ms, epoch, n in rows:
    ratio = f"{epoch / torch:.2f}" if torch else "-"
    print(f"| {name} | {setting} | {ms:.2f} | {epoch:.2f} | {ratio} | {n} |")
PY
