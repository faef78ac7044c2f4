"""Writes a synthetic image-folder zip: 10 classes, each a blob at its own place (and,
in colour, of its own hue) with seeded noise (learnable, not trivial).

usage: synth_images.py OUT [SIDE=28] [CHANNELS=1] [PER_CLASS=200]
"""
import io
import sys
import zipfile

import numpy as np
from PIL import Image

out = sys.argv[1]
side = int(sys.argv[2]) if len(sys.argv) > 2 else 28
channels = int(sys.argv[3]) if len(sys.argv) > 3 else 1
per_class = int(sys.argv[4]) if len(sys.argv) > 4 else 200
rng = np.random.default_rng(28)
y, x = np.mgrid[0:side, 0:side]
scale = side / 28
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
    for label in range(10):
        cy, cx = (6 + (label // 4) * 7) * scale, (5 + (label % 4) * 6) * scale
        hue = np.array([(label * 3 + k) % 5 / 4 for k in range(3)]) * 0.7 + 0.3
        for i in range(per_class):
            jy, jx = rng.normal(0, 1.5 * scale, 2)
            blob = 200 * np.exp(-((y - cy - jy) ** 2 + (x - cx - jx) ** 2) / (18.0 * scale * scale))
            if channels == 1:
                img = np.clip(blob + rng.normal(30, 25, (side, side)), 0, 255).astype(np.uint8)
                picture = Image.fromarray(img, "L")
            else:
                noise = rng.normal(30, 25, (side, side, 3))
                img = np.clip(blob[:, :, None] * hue + noise, 0, 255).astype(np.uint8)
                picture = Image.fromarray(img, "RGB")
            buffer = io.BytesIO()
            picture.save(buffer, "PNG")
            archive.writestr(f"synth/{label}/{i}.png", buffer.getvalue())
