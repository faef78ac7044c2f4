#!/usr/bin/env bash
# Data benchmarks against a release build on loopback:
#  1. upload of a 1 GiB file (MB/s, and the server's peak RSS);
#  2. upload + extraction of a zip of 10,000 small files (files/s);
#  3. GET /data/list/ with 50 rows, 64 connections (wrk);
#  4. GET /data/<id>/ of a 100 MB CSV as JSON (MB/s, peak RSS), against Python's
#     csv.DictReader + json.dumps on the same file in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
need_wrk

WORK=$(mktemp -d)
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
DURATION=${BENCH_DURATION:-10s}

start_with_user "$WORK"
AUTH="Authorization: Token $TOKEN"
peak_rss_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER_PID/status"; }
seconds() { python3 -c "import sys; print(f'{float(sys.argv[1]):.3f}')" "$1"; }

echo "netsmith data benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "server peak RSS after start: $(peak_rss_mb) MB"

head -c $((1024 * 1024 * 1024)) /dev/urandom >"$WORK/big.bin"
T=$(curl -sf -o /dev/null -w '%{time_total}' -H "$AUTH" -F file_type=single -F file_class=doc \
    -F "file=@$WORK/big.bin" "$BASE/data/")
rm -f "$WORK/big.bin"
echo "upload 1 GiB: $(seconds "$T") s, $(python3 -c "print(f'{1024/float(\"$T\"):.0f}')") MB/s, server peak RSS $(peak_rss_mb) MB"

python3 bench/gen_data.py zip "$WORK/many.zip" 10000
T=$(curl -sf -o /dev/null -w '%{time_total}' -H "$AUTH" -F file_type=zip -F file_class=doc \
    -F "file=@$WORK/many.zip" "$BASE/data/")
echo "upload + extract zip of 10,000 files ($(du -k "$WORK/many.zip" | cut -f1) KiB): $(seconds "$T") s, $(python3 -c "print(f'{10000/float(\"$T\"):.0f}')") files/s"

for i in $(seq 1 48); do
    curl -sf -o /dev/null -H "$AUTH" -F file_type=single -F file_class=code -F "file=@bench/login.lua" "$BASE/data/"
done
ROWS=$(curl -sf -H "$AUTH" "$BASE/data/list/" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
wrk -t2 -c64 -d"$DURATION" --latency -H "$AUTH" "$BASE/data/list/" >"$WORK/list.txt"
summary "GET /data/list/ ($ROWS rows, 64 connections)" "$WORK/list.txt"

python3 bench/gen_data.py csv "$WORK/table.csv" 100
SIZE=$(stat -c %s "$WORK/table.csv")
ID=$(curl -sf -H "$AUTH" -F file_type=single -F file_class=doc -F "file=@$WORK/table.csv" "$BASE/data/" \
    | sed 's/.*"data_id":\([0-9]*\).*/\1/')
T=$(curl -sf -o "$WORK/out.json" -w '%{time_total}' -H "$AUTH" "$BASE/data/$ID/")
OURS=$(python3 -c "print(f'{$SIZE/1e6/float(\"$T\"):.0f}')")
echo "CSV $((SIZE / 1000000)) MB as JSON over HTTP: $(seconds "$T") s, $OURS MB/s, server peak RSS $(peak_rss_mb) MB"
read -r PY_T _ < <(python3 bench/csv_python.py "$WORK/table.csv")
PY=$(python3 -c "print(f'{$SIZE/1e6/$PY_T:.0f}')")
echo "Python csv.DictReader + json.dumps on the same file: ${PY_T} s, $PY MB/s; ratio $(python3 -c "print(f'{$OURS/$PY:.1f}')")x"
