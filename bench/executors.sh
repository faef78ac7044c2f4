#!/usr/bin/env bash
# Executors benchmark, in one run on this machine: the seed's CNN on digits (Adam,
# batch 32) trained through the API by a server with the local executor (training
# threads in the server), one with the process executor (a `netsmith worker`
# subprocess that reports over HTTP) and one with the Kubernetes executor against the
# Kubernetes API test double (protocol only: the Job is created and watched through
# kube, its "pod" is a `netsmith worker` process on this machine), rounds alternating
# A B C. For each: seconds from `POST /generation/run/basic/` to the run's first
# metric point as a client sees it, and images/s over the run's own training seconds.
# Medians, and the medians of the pairwise ratios against local.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

STEPS=${BENCH_EXECUTOR_STEPS:-2000}
ROUNDS=${BENCH_EXECUTOR_ROUNDS:-5}
WORK=$(mktemp -d)
PIDS=()
trap 'touch "$WORK/double/stop"; kill "${PIDS[@]}" 2>/dev/null || true; sleep 0.5; rm -rf "$WORK"' EXIT

# The double runs from the integration-test binary (debug build; it only relays the
# protocol), its workers are the release binary measured here.
cargo test -q -p netsmith --test it --no-run 2>/dev/null
IT=$(ls -t "$TARGET_DIR"/debug/deps/it-* | grep -v '\.d$' | head -n1)
mkdir -p "$WORK/double"
KUBE_DOUBLE_DIR=$WORK/double KUBE_DOUBLE_WORKER=$NETSMITH "$IT" --ignored --exact \
    cluster::kubernetes::serve_the_double_for_the_benchmark >"$WORK/double.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 100); do [ -f "$WORK/double/kubeconfig" ] && break; sleep 0.1; done

# serve NAME EXECUTOR: a server with a user and the digits model; sets NAME_BASE, NAME_TOKEN.
serve() {
    mkdir -p "$WORK/$1"
    KUBECONFIG=$WORK/double/kubeconfig NETSMITH_EXECUTOR=$2 NETSMITH_KUBERNETES_IMAGE=netsmith:bench \
        start_with_user "$WORK/$1"
    PIDS+=("$SERVER_PID")
    local auth="Authorization: Token $TOKEN" j='Content-Type: application/json' id
    id=$(curl -sf -H "$auth" -F file_type=zip -F file_class=picture \
        -F file=@fixtures/datasets/digits.zip "$BASE/data/" | sed 's/.*"data_id":\([0-9]*\).*/\1/')
    curl -sf -X POST "$BASE/data/create/" -H "$auth" -H "$j" -d "{\"modelName\": \"cnn\", \"dataId\": $id}" >/dev/null
    curl -sf -X POST "$BASE/construct/config/" -H "$auth" -H "$j" -d @- >/dev/null <<JSON
{"modelName": "cnn", "iter": $STEPS, "learning_rate": 0.001, "ratio": 0.8, "loss_name": "entropy",
 "optimizer_name": "adam", "net_type": "CNN", "batch_size": 32,
 "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
   {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
   {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}}
JSON
    printf -v "${1}_BASE" '%s' "$BASE"
    printf -v "${1}_TOKEN" '%s' "$TOKEN"
}

EXECUTORS=(local process kubernetes)
for executor in "${EXECUTORS[@]}"; do serve "$executor" "$executor"; done
echo "netsmith executors benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), digits CNN, $STEPS steps of 32, $ROUNDS rounds"
for _ in $(seq 1 "$ROUNDS"); do
    for executor in "${EXECUTORS[@]}"; do
        base=${executor}_BASE token=${executor}_TOKEN
        echo "$executor $(python3 bench/run_timing.py "${!base}" "${!token}" cnn 32)" >>"$WORK/results.txt"
    done
done
python3 - "$WORK/results.txt" <<'PY'
import json, statistics, sys
rows = [dict(json.loads(line.split(" ", 1)[1]), executor=line.split(" ", 1)[0]) for line in open(sys.argv[1])]
names = ("local", "process", "kubernetes")
by = {e: [r for r in rows if r["executor"] == e] for e in names}
assert all(r["status"] == "completed" for r in rows), rows
for e, rs in by.items():
    first = statistics.median(r["first_point_s"] for r in rs)
    speed = statistics.median(r["images_per_s"] for r in rs)
    print(f"{e:11} first point after {first * 1000:6.0f} ms (median)   {speed:7.0f} images/s (median)")
for e in names[1:]:
    ratio = statistics.median(o["images_per_s"] / l["images_per_s"] for l, o in zip(by["local"], by[e]))
    extra = statistics.median(o["first_point_s"] - l["first_point_s"] for l, o in zip(by["local"], by[e]))
    print(f"{e} / local images/s: {ratio:.3f}x (median of {len(by['local'])} pairs); "
          f"first point {extra * 1000:+.0f} ms later (median)")
PY
