#!/usr/bin/env bash
# Engines benchmark, in one run on this machine: the seed's default CNN trained
# through the API by the built-in engine, by the PyTorch engine on 1 worker and on 2
# workers (torchrun, gloo), on digits (8x8x1) and on a synthetic 28x28x1 set, rounds
# alternating. images/s = steps x batch x workers / the run's own training seconds
# (each worker trains batch_size samples per step). Medians, and ratios to the
# built-in engine. The machine has 2 cores: two workers share them.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

use_pyenv
STEPS=${BENCH_ENGINE_STEPS:-600}
ROUNDS=${BENCH_ENGINE_ROUNDS:-3}

WORK=$(mktemp -d)
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
NETSMITH_PYTHON=$PY NETSMITH_TRAIN_WORKERS=1 start_with_user "$WORK"
AUTH="Authorization: Token $TOKEN"
J='Content-Type: application/json'
"$PY" bench/synth_images.py "$WORK/synth.zip"

# model NAME FILE: uploads FILE and saves the seed's network (Adam, batch 32).
model() {
    local id
    id=$(curl -sf -H "$AUTH" -F file_type=zip -F file_class=picture -F "file=@$2" "$BASE/data/" \
        | sed 's/.*"data_id":\([0-9]*\).*/\1/')
    curl -sf -X POST "$BASE/data/create/" -H "$AUTH" -H "$J" -d "{\"modelName\": \"$1\", \"dataId\": $id}" >/dev/null
    curl -sf -X POST "$BASE/construct/config/" -H "$AUTH" -H "$J" -d @- >/dev/null <<JSON
{"modelName": "$1", "iter": $STEPS, "learning_rate": 0.001, "ratio": 0.8, "loss_name": "entropy",
 "optimizer_name": "adam", "net_type": "CNN", "batch_size": 32,
 "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
   {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
   {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}}
JSON
}

model digits fixtures/datasets/digits.zip
model synth "$WORK/synth.zip"
echo "netsmith engines benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), default CNN, $STEPS steps of 32 per worker, $ROUNDS rounds"
for _ in $(seq 1 "$ROUNDS"); do
    for set in digits synth; do
        for engine in "builtin 1" "pytorch 1" "pytorch 2"; do
            read -r name workers <<<"$engine"
            echo "$set $name $workers $(python3 bench/run_timing.py "$BASE" "$TOKEN" "$set" 32 "$name" "$workers")" \
                >>"$WORK/results.txt"
        done
    done
done
python3 - "$WORK/results.txt" <<'PY'
import json, statistics, sys
rows = []
for line in open(sys.argv[1]):
    data, engine, workers, result = line.split(" ", 3)
    rows.append(dict(json.loads(result), data=data, engine=f"{engine} x{workers}"))
assert all(r["status"] == "completed" for r in rows), rows
for data in ("digits", "synth"):
    mine = [r for r in rows if r["data"] == data]
    base = statistics.median(r["images_per_s"] for r in mine if r["engine"] == "builtin x1")
    for engine in ("builtin x1", "pytorch x1", "pytorch x2"):
        speeds = [r["images_per_s"] for r in mine if r["engine"] == engine]
        median = statistics.median(speeds)
        print(f"{data:7} {engine:11} {median:8.0f} images/s (median of {len(speeds)})  {median / base:5.2f}x built-in")
PY
