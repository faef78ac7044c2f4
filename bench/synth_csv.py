"""Writes a synthetic CSV of flattened 28x28 pictures: a `label` column (10 classes,
each a blob at its own place) and 784 pixel columns with seeded noise.

usage: synth_csv.py OUT [ROWS=2000]
"""
import sys

import numpy as np

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rng = np.random.default_rng(784)
y, x = np.mgrid[0:28, 0:28]
with open(out, "w") as f:
    f.write("label," + ",".join(f"p{i}" for i in range(784)) + "\n")
    for row in range(rows):
        label = row % 10
        cy, cx = 6 + (label // 4) * 7, 5 + (label % 4) * 6
        jy, jx = rng.normal(0, 1.5, 2)
        blob = 200 * np.exp(-((y - cy - jy) ** 2 + (x - cx - jx) ** 2) / 18.0)
        pixels = np.clip(blob + rng.normal(30, 25, (28, 28)), 0, 255).astype(int).ravel()
        f.write(f"{label}," + ",".join(map(str, pixels)) + "\n")
