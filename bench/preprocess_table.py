"""Joins criterion's medians (target/criterion/<id>/new/estimates.json) with the OpenCV
and Pillow timings, and prints a Markdown table with the ratios.

usage: preprocess_table.py CRITERION_DIR COMPARE.json
"""
import json
import os
import sys

criterion_dir, compare_path = sys.argv[1], sys.argv[2]
reference = json.load(open(compare_path))
print("| operation | netsmith ms | OpenCV ms | netsmith / OpenCV | Pillow ms | Pillow / netsmith |")
print("|---|---:|---:|---:|---:|---:|")
worst = 0.0
for name, ref in reference.items():
    path = os.path.join(criterion_dir, name, "new", "estimates.json")
    if not os.path.exists(path):
        print(f"| {name} | (no bench) | {ref['opencv_ms']:.3f} | | | |")
        continue
    ours = json.load(open(path))["median"]["point_estimate"] / 1e6
    ratio = ours / ref["opencv_ms"]
    worst = max(worst, ratio)
    pillow = ref["pillow_ms"]
    pillow_cols = f"{pillow:.3f} | {pillow / ours:.1f}x" if pillow else "n/a | n/a"
    print(f"| {name} | {ours:.3f} | {ref['opencv_ms']:.3f} | {ratio:.2f}x | {pillow_cols} |")
print(f"\nworst ratio to OpenCV: {worst:.2f}x")
