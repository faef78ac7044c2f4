"""Writes a synthetic 28x28 grayscale image-folder zip: 10 classes of 200 pictures,
each class a blob at its own place with seeded noise (learnable, not trivial)."""
import io
import sys
import zipfile

import numpy as np
from PIL import Image

out = sys.argv[1]
rng = np.random.default_rng(28)
y, x = np.mgrid[0:28, 0:28]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    for label in range(10):
        cy, cx = 6 + (label // 4) * 7, 5 + (label % 4) * 6
        for i in range(200):
            jy, jx = rng.normal(0, 1.5, 2)
            blob = 200 * np.exp(-((y - cy - jy) ** 2 + (x - cx - jx) ** 2) / 18.0)
            img = np.clip(blob + rng.normal(30, 25, (28, 28)), 0, 255).astype(np.uint8)
            buffer = io.BytesIO()
            Image.fromarray(img, "L").save(buffer, "PNG")
            archive.writestr(f"synth/{label}/{i}.png", buffer.getvalue())
