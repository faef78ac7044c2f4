#!/usr/bin/env bash
# Soak (issue #15): a release server on loopback takes 64 connections of mixed traffic
# for SOAK_DURATION seconds (default 60) from Locust (bench/soak_locust.py, pinned in
# bench/locust.txt) while a training run goes on: authenticated reads, listings, CSV
# previews, small uploads, preprocessing and option queries, all as one user. Prints per
# route the requests, failures, p50, p99 and req/s, the server's RSS every 5 s, the CPU
# each side used and the training run's progress. Exits non-zero on any error: a status
# other than the one the route answers on success, a transport error, an exception in the
# load generator, or a training run that failed.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

LOCUSTENV=$HOME/.cache/netsmith/locust-$(sha256sum bench/locust.txt | cut -c1-16)
make -s locustenv
DURATION=${SOAK_DURATION:-60}
USERS=${SOAK_USERS:-64}
# Long enough to outlast the soak at the digits' full speed (about 470 steps/s here).
STEPS=${SOAK_TRAIN_STEPS:-1000000}

WORK=$(mktemp -d)
SAMPLER_PID=
cleanup() {
    [ -z "$SAMPLER_PID" ] || kill "$SAMPLER_PID" 2>/dev/null || true
    [ -z "${SERVER_PID:-}" ] || kill "$SERVER_PID" 2>/dev/null || true
    if [ -n "${SOAK_KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The per-user limits on work in progress (defaults 4 uploads and 2 preprocessing jobs
# at once) are raised to the number of connections: every simulated user is the same
# account, and the soak is about the server under load, not about its 429s. There is no
# storage quota by default (NETSMITH_USER_QUOTA_BYTES=0); uploads are deleted again.
export NETSMITH_MAX_UPLOADS_PER_USER=$USERS NETSMITH_MAX_PREPROCESSING_PER_USER=$USERS
start_with_user "$WORK"
AUTH="Authorization: Token $TOKEN"
J='Content-Type: application/json'
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
upload() { curl -sf -H "$AUTH" -F "file_type=$1" -F "file_class=$2" -F "file=@$3" "$BASE/data/" | json 'd["data_id"]'; }

echo "netsmith soak, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $USERS connections for ${DURATION} s"

# A CSV of a few MB for previews.
python3 bench/gen_data.py csv "$WORK/table.csv" 4
CSV_ROWS=$(($(wc -l <"$WORK/table.csv") - 1))
CSV_ID=$(upload single doc "$WORK/table.csv")
# A zip of 12 pictures (64x48, gray, RGB and RGBA) for preprocessing.
python3 - "$WORK/pictures.zip" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as archive:
    for i in range(4):
        for kind in ("gray", "rgb", "rgba"):
            archive.write(f"fixtures/preprocess/inputs/{kind}.png", f"pictures/{kind}/{i}.png")
PY
ZIP_ID=$(upload zip picture "$WORK/pictures.zip")
# A model on the digits with the seed's network, and a run of it long enough for the soak.
DIGITS_ID=$(upload zip picture fixtures/datasets/digits.zip)
MODEL_ID=$(curl -sf -X POST "$BASE/data/create/" -H "$AUTH" -H "$J" \
    -d "{\"modelName\": \"soak\", \"dataId\": $DIGITS_ID}" | json 'd["id"]')
curl -sf -X POST "$BASE/construct/config/" -H "$AUTH" -H "$J" -d @- >/dev/null <<JSON
{"modelName": "soak", "iter": $STEPS, "learning_rate": 0.001, "ratio": 0.8, "loss_name": "entropy",
 "optimizer_name": "adam", "net_type": "CNN", "batch_size": 32,
 "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
   {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
   {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}}
JSON
RUN_ID=$(curl -sf -X POST "$BASE/generation/run/basic/" -H "$AUTH" -H "$J" -d '{"modelName": "soak"}' | json 'd["run_id"]')
run_field() { curl -sf "$BASE/generation/run/details/?run_id=$RUN_ID" -H "$AUTH" | json "d[\"$1\"]"; }
for _ in $(seq 1 100); do
    [ "$(run_field status)" = running ] && break
    sleep 0.1
done
# Each kind of request once, so a setup mistake shows before the load does.
curl -sf -o /dev/null -H "$AUTH" "$BASE/data/$CSV_ID/?offset=10&limit=100"
curl -sf -o /dev/null -H "$AUTH" "$BASE/generation/options/next/?model=soak"
curl -sf -o /dev/null -H "$AUTH" "$BASE/generation/options/list/"
echo "setup: CSV of $CSV_ROWS rows ($(($(stat -c %s "$WORK/table.csv") / 1000)) kB, data $CSV_ID), picture zip (data $ZIP_ID)," \
    "model $MODEL_ID on the digits, run $RUN_ID of $STEPS steps: $(run_field status)"

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
# Busy CPU seconds of the whole machine so far (every core; others' work included).
machine_busy() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2 + $3 + $4 + $7 + $8) / hz; exit}' /proc/stat; }
# CPU ticks of each of the server's threads: "tid name ticks" lines.
thread_ticks() {
    for task in /proc/"$SERVER_PID"/task/*; do
        sed -E 's/^([0-9]+) \((.*)\) [A-Z] (([^ ]+ ){10})([0-9]+) ([0-9]+).*/\1 \2 \5 \6/' "$task/stat" 2>/dev/null |
            awk '{gsub(/ /, "_", $2); print $1, $2, $(NF - 1) + $NF}'
    done
}
rss_mb() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER_PID/status"; }
# The allocator's heap in use and held free, in MB, as the server's /metrics tell them.
heap_mb() {
    curl -sf "$BASE/metrics/" | awk '/^netsmith_heap_in_use_bytes / {u = $2} /^netsmith_heap_free_bytes / {f = $2}
        END {printf "%.1f %.1f", u / 1048576, f / 1048576}'
}

# The server's own count of what it answered (its Prometheus counters), by status.
answered() {
    curl -sf "$BASE/metrics/" | python3 -c "
import collections, json, re, sys
by_status = collections.Counter()
for line in sys.stdin:
    m = re.match(r'netsmith_http_requests_total\{.*status=\"(\d+)\".*\} (\d+)', line)
    if m:
        by_status[m.group(1)] += int(m.group(2))
print(json.dumps(by_status))"
}

STEP0=$(run_field step)
ANSWERED0=$(answered)
SERVER_CPU0=$(cpu_seconds "$SERVER_PID")
thread_ticks >"$WORK/threads0.txt"
MACHINE0=$(machine_busy)
START=$(date +%s%N)
# The server's RSS and heap every 5 s while the load runs (t=0 just before the first
# request): "seconds rss in-use free" lines.
(
    while :; do
        echo "$((($(date +%s%N) - START) / 1000000000)) $(rss_mb) $(heap_mb)"
        sleep 5
    done
) >"$WORK/rss.txt" &
SAMPLER_PID=$!

# Locust runs under a shell that reports its CPU time (`times`) when it ends.
SOAK_TOKEN=$TOKEN SOAK_CSV_ID=$CSV_ID SOAK_CSV_ROWS=$CSV_ROWS SOAK_ZIP_ID=$ZIP_ID \
    SOAK_MODEL_ID=$MODEL_ID SOAK_MODEL_NAME=soak SOAK_RUN_ID=$RUN_ID \
    SOAK_STATS_JSON=$WORK/figures.json PYTHONDONTWRITEBYTECODE=1 \
    bash -c '"$0" -m locust "$@"; rc=$?; times >"'"$WORK/locust.times"'"; exit $rc' \
    "$LOCUSTENV/bin/python" -f bench/soak_locust.py --headless --host "$BASE" \
    -u "$USERS" -r "$USERS" -t "${DURATION}s" --stop-timeout 10 --only-summary \
    --loglevel WARNING --logfile "$WORK/locust.log" >"$WORK/locust.out" 2>&1 &&
    LOCUST_RC=0 || LOCUST_RC=$?

END=$(date +%s%N)
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "FAILED: the server died during the soak (Locust exit $LOCUST_RC)" >&2
    tail -n 30 "$WORK/server.log" >&2
    exit 1
fi
echo "$(((END - START) / 1000000000)) $(rss_mb) $(heap_mb)" >>"$WORK/rss.txt"
MACHINE=$(python3 -c "print(f'{$(machine_busy) - $MACHINE0:.1f}')")
SERVER_CPU=$(python3 -c "print(f'{$(cpu_seconds "$SERVER_PID") - $SERVER_CPU0:.1f}')")
thread_ticks >"$WORK/threads1.txt"
ANSWERED1=$(answered)
SECONDS_RUN=$(python3 -c "print(f'{($END - $START) / 1e9:.1f}')")
LOCUST_CPU=$(awk 'NR == 2 {gsub(/[ms]/, " "); printf "%.1f", $1 * 60 + $2 + $3 * 60 + $4}' "$WORK/locust.times")
STEP1=$(run_field step)
STATUS=$(run_field status)

if [ ! -s "$WORK/figures.json" ]; then
    echo "FAILED: Locust wrote no figures (exit $LOCUST_RC)" >&2
    cat "$WORK/locust.out" "$WORK/locust.log" >&2
    exit 1
fi
python3 - "$WORK/figures.json" "$WORK/rss.txt" "$ANSWERED0" "$ANSWERED1" "$WORK/errors" <<'PY'
import collections, json, sys

figures = json.load(open(sys.argv[1]))
out = sys.stdout
print(f"\n{'route':<42} {'requests':>9} {'failures':>8} {'p50 ms':>7} {'p99 ms':>7} {'req/s':>7}", file=out)
for row in figures["routes"] + [None, figures["total"]]:
    if row is None:
        print("-" * 85, file=out)
        continue
    print(f"{row['name']:<42} {row['requests']:>9} {row['failures']:>8} {row['p50']:>7.0f} {row['p99']:>7.0f} "
          f"{row['rps']:>7.1f}", file=out)
if figures["failures"]:
    print("\nfailures by route:", file=out)
    for f in figures["failures"]:
        print(f"  {f['occurrences']:>6} x {f['name']}: {f['error']}", file=out)
if figures["exceptions"]:
    print("\nexceptions in the load generator:", file=out)
    for e in figures["exceptions"]:
        print(f"  {e['count']:>6} x {e['message']}", file=out)

before, after = json.loads(sys.argv[3]), json.loads(sys.argv[4])
during = {s: n - before.get(s, 0) for s, n in sorted(after.items()) if n - before.get(s, 0)}
print("server's own count during the soak, by status: " + ", ".join(f"{n} x {s}" for s, n in during.items())
      + f" ({sum(during.values())} in all, the bench's one /metrics call included)", file=out)

samples = [line.split() for line in open(sys.argv[2]) if line.strip()]
for column, name in ((1, "RSS"), (2, "heap in use"), (3, "heap held free")):
    series = [(int(row[0]), float(row[column])) for row in samples if len(row) > column]
    values = [mb for _, mb in series]
    print(f"\nserver {name} (MB) every 5 s: " + ", ".join(f"{mb} at {t} s" for t, mb in series), file=out)
    steady = [mb for t, mb in series if t >= 10] or values
    print(f"first {values[0]:.1f}, last {values[-1]:.1f}, max {max(values):.1f} MB; from 10 s on "
          f"{min(steady):.1f}-{max(steady):.1f} MB (last - first {steady[-1] - steady[0]:+.1f} MB)", file=out)
with open(sys.argv[5], "w") as errors:
    print(figures["total"]["failures"] + sum(e["count"] for e in figures["exceptions"]), file=errors)
PY
ERRORS=$(cat "$WORK/errors")

echo
echo "CPU over the soak ($SECONDS_RUN s): machine $MACHINE s busy of $(python3 -c "print(round($(nproc) * $SECONDS_RUN))") s" \
    "(all cores, others' work included), server $SERVER_CPU s, Locust $LOCUST_CPU s"
# The server's CPU by thread name (threads ended during the soak not counted).
python3 - "$WORK/threads0.txt" "$WORK/threads1.txt" "$(getconf CLK_TCK)" <<'PY'
import collections, re, sys
before = {tid: int(t) for tid, _, t in (l.split() for l in open(sys.argv[1]))}
by_name = collections.Counter()
for tid, name, ticks in (l.split() for l in open(sys.argv[2])):
    by_name[re.sub(r"[-:#]?[0-9]+$", "", name)] += int(ticks) - before.get(tid, 0)
hz = int(sys.argv[3])
print("server CPU by thread: " + ", ".join(f"{n} {t / hz:.1f} s" for n, t in by_name.most_common() if t))
PY
echo "training run $RUN_ID: step $STEP0 -> $STEP1 during the soak ($((STEP1 - STEP0)) steps), status $STATUS"
FIVE_XX=$(grep -c 'status=5[0-9][0-9]' "$WORK/server.log" || true)
echo "server log: $FIVE_XX requests answered 5xx, $(grep -c ' ERROR ' "$WORK/server.log" || true) ERROR lines"
grep -q 'CPU usage above' "$WORK/locust.log" "$WORK/locust.out" 2>/dev/null &&
    echo "note: Locust warned that its CPU usage was above 90% (the client may limit the rate)"
curl -sf -X POST "$BASE/generation/run/stop/" -H "$AUTH" -H "$J" -d "{\"run_id\": $RUN_ID}" >/dev/null || true

if [ "$ERRORS" != 0 ] || [ "$LOCUST_RC" != 0 ] || [ "$FIVE_XX" != 0 ] || { [ "$STATUS" != running ] && [ "$STATUS" != completed ]; }; then
    echo "FAILED: $ERRORS errors, Locust exit $LOCUST_RC, $FIVE_XX 5xx in the server log, training run $STATUS" >&2
    tail -n 20 "$WORK/locust.out" >&2
    grep ' ERROR ' "$WORK/server.log" | head -n 20 >&2 || true
    exit 1
fi
echo "0 errors"
