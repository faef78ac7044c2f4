"""OpenCV and Pillow timings of the preprocessing operations on the benchmark picture,
single-threaded, median of N runs, in milliseconds. Prints one JSON object:
{"<bench id>": {"opencv_ms": x, "pillow_ms": y or null}}. The ids match the criterion
benches in crates/preprocess/benches.

usage: preprocess_compare.py PICTURE.png [RUNS]
"""
import json
import statistics
import sys
import time

import cv2
import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

cv2.setNumThreads(1)
path = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 30
bgr = cv2.imread(path, cv2.IMREAD_COLOR)
pil = Image.open(path).convert("RGB")
pil.load()
h, w = bgr.shape[:2]


def timed(fn):
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def cv_contrast():
    mean = cv2.mean(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))[0]
    return cv2.addWeighted(bgr, 1.5, np.full_like(bgr, int(mean + 0.5)), -0.5, 0)


noise_buffer = np.empty(bgr.shape, np.int16)


def cv_noise():
    cv2.randn(noise_buffer, 0, 20)
    return np.clip(cv2.add(bgr.astype(np.int16), noise_buffer), 0, 255).astype(np.uint8)


rotation = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), 30, 1.0)
sharpen = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], np.float32)

ops = {
    "flip_vertical": (lambda: cv2.flip(bgr, 0), lambda: pil.transpose(Image.Transpose.FLIP_TOP_BOTTOM)),
    "flip_horizontal": (lambda: cv2.flip(bgr, 1), lambda: pil.transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
    "rotate_30": (lambda: cv2.warpAffine(bgr, rotation, (w, h), flags=cv2.INTER_LINEAR),
                  lambda: pil.rotate(30, resample=Image.Resampling.BILINEAR)),
    "resize_256": (lambda: cv2.resize(bgr, (256, 256), interpolation=cv2.INTER_LINEAR),
                   lambda: pil.resize((256, 256), Image.Resampling.BILINEAR)),
    "crop_256": (lambda: bgr[128:384, 128:384].copy(), lambda: pil.crop((128, 128, 384, 384)).load()),
    "edges_100_200": (lambda: cv2.Canny(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), 100, 200), None),
    "brightness_0.4": (lambda: cv2.convertScaleAbs(bgr, alpha=0.4), lambda: ImageEnhance.Brightness(pil).enhance(0.4)),
    "contrast_1.5": (cv_contrast, lambda: ImageEnhance.Contrast(pil).enhance(1.5)),
    "grayscale": (lambda: cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), lambda: pil.convert("L")),
    "threshold_127": (lambda: cv2.threshold(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), 127, 255, cv2.THRESH_BINARY),
                      lambda: pil.convert("L").point(lambda v: 255 if v > 127 else 0)),
    "equalize": (lambda: cv2.merge([cv2.equalizeHist(c) for c in cv2.split(bgr)]), lambda: ImageOps.equalize(pil)),
    "noise_20": (cv_noise, None),
    "median_3x3": (lambda: cv2.medianBlur(bgr, 3), lambda: pil.filter(ImageFilter.MedianFilter(3))),
    "median_5x5": (lambda: cv2.medianBlur(bgr, 5), lambda: pil.filter(ImageFilter.MedianFilter(5))),
    "median_21x21": (lambda: cv2.medianBlur(bgr, 21), lambda: pil.filter(ImageFilter.MedianFilter(21))),
    "mean_3x3": (lambda: cv2.blur(bgr, (3, 3)), lambda: pil.filter(ImageFilter.BoxBlur(1))),
    "mean_15x15": (lambda: cv2.blur(bgr, (15, 15)), lambda: pil.filter(ImageFilter.BoxBlur(7))),
    "gaussian_13_2": (lambda: cv2.GaussianBlur(bgr, (13, 13), 2), lambda: pil.filter(ImageFilter.GaussianBlur(2))),
    "sharpen_1": (lambda: cv2.filter2D(bgr, -1, sharpen), lambda: pil.filter(ImageFilter.SHARPEN)),
}

slow = {"median_21x21"}  # Pillow's big median takes seconds: fewer runs
result = {}
for name, (cv_fn, pil_fn) in ops.items():
    entry = {"opencv_ms": timed(cv_fn)}
    if pil_fn is None:
        entry["pillow_ms"] = None
    elif name in slow:
        start = time.perf_counter()
        pil_fn()
        entry["pillow_ms"] = (time.perf_counter() - start) * 1000
    else:
        entry["pillow_ms"] = timed(pil_fn)
    result[name] = entry
print(json.dumps(result))
