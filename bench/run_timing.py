"""Starts one run of a model and times it from the client's side.

Usage: run_timing.py BASE TOKEN MODEL BATCH [ENGINE WORKERS]. POSTs
/generation/run/basic/ (with that engine and number of workers when given), polls the
run's details every 10 ms until its first metric point shows, then until it ends, and
prints one JSON line: seconds from the POST to the first point, the run's own training
seconds, images/s over them, and the final status.
"""

import json
import sys
import time
import urllib.request

base, token, model, batch = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
engine = sys.argv[5] if len(sys.argv) > 5 else None
workers = int(sys.argv[6]) if len(sys.argv) > 6 else 1
headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}


def call(path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, headers=headers)
    with urllib.request.urlopen(request) as response:
        return json.load(response)


posted = time.perf_counter()
body = {"modelName": model}
if engine is not None:
    body.update(engine=engine, workers=workers)
run = call("/generation/run/basic/", body)["run_id"]
first_point = None
while True:
    details = call(f"/generation/run/details/?run_id={run}")
    if first_point is None and details["points"]:
        first_point = time.perf_counter() - posted
    if details["status"] in ("completed", "failed", "stopped", "interrupted"):
        break
    # Fast until the first point, then gently, so polling takes no CPU from training.
    time.sleep(0.01 if first_point is None else 0.5)
print(json.dumps({
    "first_point_s": first_point,
    "training_seconds": details["training_seconds"],
    "images_per_s": details["iter"] * batch * workers / details["training_seconds"],
    "status": details["status"],
}))
