#!/usr/bin/env bash
# Preprocessing benchmarks: every operation on one 512x512 RGB picture (criterion),
# OpenCV and Pillow on the same picture in the same run (single-threaded), the ratios,
# and a batch of 1,000 pictures through flip + brightness + median 5x5 on all cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/netsmith/target}

VENV=var/pyenv
if ! "$VENV/bin/python" -c "import cv2, PIL, numpy" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q opencv-python-headless pillow numpy
fi
mkdir -p var/bench
"$VENV/bin/python" - <<'PY'
import cv2, numpy as np
rng = np.random.default_rng(512)
y, x = np.mgrid[0:512, 0:512]
img = np.stack([128 + 100 * np.sin(x / 23.0) * np.cos(y / 31.0), y / 2.0, x / 2.0], axis=-1)
img[100:260, 60:200] = (30, 200, 90)
cv2.circle(img, (360, 300), 90, (240, 240, 20), -1)
img += rng.normal(0, 12, img.shape)
cv2.imwrite("var/bench/bench512.png", np.clip(img, 0, 255).astype(np.uint8))
PY
export NETSMITH_BENCH_IMAGE=$PWD/var/bench/bench512.png

echo "netsmith preprocessing benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
for group in geometry tone filters; do
    cargo bench -q -p preprocess --bench "$group" -- --warm-up-time 1 --measurement-time 3 >/dev/null
done
"$VENV/bin/python" bench/preprocess_compare.py "$NETSMITH_BENCH_IMAGE" 30 >var/bench/reference.json
"$VENV/bin/python" bench/preprocess_table.py "$CARGO_TARGET_DIR/criterion" var/bench/reference.json
echo
cargo run -q --release -p preprocess --example batch -- 1000
