"""Reference for the CSV preview: Python's csv.DictReader + json.dumps on the same file."""
import csv
import json
import sys
import time

start = time.perf_counter()
with open(sys.argv[1], newline="", encoding="utf-8", errors="replace") as f:
    out = json.dumps(list(csv.DictReader(f)))
elapsed = time.perf_counter() - start
print(f"{elapsed:.3f} {len(out)}")
