#!/usr/bin/env bash
# Engine speed benchmark (issue: the built-in engine against PyTorch on CPU), in one
# run on this machine. For each network of the set, on the same data, same network,
# same batch, both sides on all cores:
#   * the server's built-in engine through the API (a fresh server per case): images/s
#     from the run's own training_seconds, peak RSS = the server's VmHWM afterwards;
#   * the generated PyTorch script (/generation/generate/, torch as pinned, its default
#     threads): images/s from its own reported durations, peak RSS from /usr/bin/time;
# then the engine alone (the trainer's throughput example, synthetic batches) against
# the burn engine it replaced (the "before" reference, same run), and, per network, the
# share of a step spent in each layer on our side (the example's `--profile yes`).
# BENCH_SPEED_CASES narrows the set (names below); BENCH_SPEED_STEPS_SCALE scales steps.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

use_pyenv
SCALE=${BENCH_SPEED_STEPS_SCALE:-1}
CASES=${BENCH_SPEED_CASES:-digits synth28 lenet5 vgg32 vgg64 dnn}

WORK=$(mktemp -d)
SERVER_PID=
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
J='Content-Type: application/json'
json() { "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# The networks' middle layers, as a user writes them (the output layer is sized from the data).
DEFAULT='[{"layer": "conv", "filter": [2, 2, 10]}, {"layer": "conv", "filter": [2, 2, 20]},
  {"layer": "pool"}, {"layer": "norm"}, {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}]'
LENET5='[{"layer": "conv", "filter": [5, 5, 6], "padding": "same", "activation": "relu"},
  {"layer": "pool", "kind": "max", "size": 2, "stride": 2},
  {"layer": "conv", "filter": [5, 5, 16], "padding": "valid", "activation": "relu"},
  {"layer": "pool", "kind": "max", "size": 2, "stride": 2},
  {"layer": "connect", "units": 120}, {"layer": "active", "kind": "relu"},
  {"layer": "connect", "units": 84}, {"layer": "active", "kind": "relu"}]'
block() {
    printf '{"layer": "conv", "filter": [3, 3, %s], "padding": "same"}, {"layer": "norm"}, {"layer": "active", "kind": "relu"}' "$1"
}
VGG="[$(block 32), $(block 32), {\"layer\": \"pool\", \"kind\": \"max\", \"size\": 2, \"stride\": 2},
  $(block 64), $(block 64), {\"layer\": \"pool\", \"kind\": \"max\", \"size\": 2, \"stride\": 2},
  {\"layer\": \"connect\", \"units\": 256}, {\"layer\": \"active\", \"kind\": \"relu\"}]"
DNN='[{"layer": "connect", "units": 512}, {"layer": "active", "kind": "relu"},
  {"layer": "connect", "units": 256}, {"layer": "active", "kind": "relu"}]'

# case NAME: sets FILE KIND NET_TYPE LAYERS BATCH STEPS EXAMPLE (the example's --network and --shape).
case_of() {
    case $1 in
    digits) FILE=fixtures/datasets/digits.zip KIND=zip NET_TYPE=CNN LAYERS=$DEFAULT BATCH=32 STEPS=600
        EXAMPLE="--network default --shape 8x8x1" ;;
    synth28) FILE=$WORK/synth28.zip KIND=zip NET_TYPE=CNN LAYERS=$DEFAULT BATCH=32 STEPS=600
        EXAMPLE="--network default --shape 28x28x1" ;;
    lenet5) FILE=$WORK/synth28.zip KIND=zip NET_TYPE=CNN LAYERS=$LENET5 BATCH=64 STEPS=300
        EXAMPLE="--network lenet5 --shape 28x28x1" ;;
    vgg32) FILE=$WORK/synth32c.zip KIND=zip NET_TYPE=CNN LAYERS=$VGG BATCH=64 STEPS=100
        EXAMPLE="--network vgg --shape 32x32x3" ;;
    vgg64) FILE=$WORK/synth64c.zip KIND=zip NET_TYPE=CNN LAYERS=$VGG BATCH=32 STEPS=60
        EXAMPLE="--network vgg --shape 64x64x3" ;;
    dnn) FILE=$WORK/synth784.csv KIND=csv NET_TYPE=DNN LAYERS=$DNN BATCH=64 STEPS=300
        EXAMPLE="--network dnn --shape 28x28x1" ;;
    *) echo "unknown case $1" >&2; return 1 ;;
    esac
    STEPS=$((STEPS * SCALE))
}

"$PY" bench/synth_images.py "$WORK/synth28.zip"
"$PY" bench/synth_images.py "$WORK/synth32c.zip" 32 3
"$PY" bench/synth_images.py "$WORK/synth64c.zip" 64 3
"$PY" bench/synth_csv.py "$WORK/synth784.csv"
cargo build -q --release -p trainer --example throughput
EXAMPLE_BIN=$TARGET_DIR/release/examples/throughput

echo "netsmith engine speed benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $("$PY" -c 'import torch; print("torch", torch.__version__)')"
printf '| %-8s | %-8s | %5s | %5s | %17s | %17s | %6s | %14s | %14s | %6s |\n' case input batch steps \
    "netsmith images/s" "PyTorch images/s" ratio "netsmith RSS" "PyTorch RSS" "RSS %"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
PROFILES=$WORK/profiles.md
BEFORE=$WORK/before.md
: >"$PROFILES"
{
    echo
    echo "The engine alone (example, synthetic batches, Adam): native against the burn engine it replaced"
    echo
    echo "| case | native images/s | burn images/s (before) | ratio |"
    echo "|---|---:|---:|---:|"
} >"$BEFORE"
for name in $CASES; do
    case_of "$name"
    dir=$WORK/$name
    mkdir -p "$dir"
    start_with_user "$dir"
    AUTH="Authorization: Token $TOKEN"
    if [ "$KIND" = zip ]; then
        id=$(curl -sf -H "$AUTH" -F file_type=zip -F file_class=picture -F "file=@$FILE" "$BASE/data/" | json 'd["data_id"]')
    else
        id=$(curl -sf -H "$AUTH" -F file_type=single -F file_class=doc -F "file=@$FILE" "$BASE/data/" | json 'd["data_id"]')
    fi
    curl -sf -X POST "$BASE/data/create/" -H "$AUTH" -H "$J" -d "{\"modelName\": \"$name\", \"dataId\": $id}" >/dev/null
    curl -sf -X POST "$BASE/construct/config/" -H "$AUTH" -H "$J" -d @- >/dev/null <<JSON
{"modelName": "$name", "iter": $STEPS, "learning_rate": 0.001, "ratio": 0.8, "loss_name": "entropy",
 "optimizer_name": "adam", "net_type": "$NET_TYPE", "batch_size": $BATCH,
 "net_config": {"middle_layer": $LAYERS, "output_layer": {}}}
JSON
    run=$(curl -sf -X POST "$BASE/generation/run/basic/" -H "$AUTH" -H "$J" -d "{\"modelName\": \"$name\"}" | json 'd["run_id"]')
    while :; do
        status=$(curl -sf "$BASE/generation/run/details/?run_id=$run" -H "$AUTH" | grep -o '"status":"[a-z]*"')
        case $status in *completed* | *failed* | *stopped*) break ;; esac
        sleep 1
    done
    case $status in *completed*) ;; *) echo "$name: run ended $status" >&2; exit 1 ;; esac
    ours=$(curl -sf "$BASE/generation/run/details/?run_id=$run" -H "$AUTH" | json "f'{$STEPS * $BATCH / d[\"training_seconds\"]:.0f}'")
    our_rss=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
    curl -sf -X POST "$BASE/generation/generate/" -H "$AUTH" -H "$J" \
        -d "{\"modelName\": \"$name\", \"framework\": \"pytorch\"}" | json 'd["code"]' >"$dir/train.py"
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
    /usr/bin/time -f '%M' -o "$dir/torch_rss" "$PY" "$dir/train.py" "$FILE" --steps "$STEPS" \
        --out "$dir/torch.pt" >"$dir/torch.out" 2>/dev/null
    theirs=$("$PY" -c "
import re
seconds = sum(float(m.group(1)) for m in re.finditer(r'duration=([0-9.]+)', open('$dir/torch.out').read()))
print(f'{$STEPS * $BATCH / seconds:.0f}')")
    their_rss=$(tail -n1 "$dir/torch_rss")
    input=$(echo "$EXAMPLE" | sed 's/.*--shape //')
    [ "$name" = dnn ] && input=784
    printf '| %-8s | %-8s | %5s | %5s | %17s | %17s | %6s | %11s MB | %11s MB | %5s%% |\n' "$name" "$input" "$BATCH" \
        "$STEPS" "$ours" "$theirs" "$("$PY" -c "print(f'{$ours / $theirs:.2f}x')")" \
        "$((our_rss / 1024))" "$((their_rss / 1024))" "$((100 * our_rss / their_rss))"
    example_steps=$((STEPS / 3 + 10))
    native=$("$EXAMPLE_BIN" $EXAMPLE --batch "$BATCH" --steps "$example_steps" --engine native 2>/dev/null | sed 's/.*=//')
    burn=$("$EXAMPLE_BIN" $EXAMPLE --batch "$BATCH" --steps "$example_steps" --engine burn 2>/dev/null | sed 's/.*=//')
    printf '| %s | %.0f | %.0f | %s |\n' "$name" "$native" "$burn" \
        "$("$PY" -c "print(f'{$native / $burn:.2f}x')")" >>"$BEFORE"
    {
        echo
        echo "$name ($EXAMPLE, batch $BATCH, Adam), time per step on our side:"
        echo
        "$EXAMPLE_BIN" $EXAMPLE --batch "$BATCH" --steps 30 --profile yes
    } >>"$PROFILES"
done
cat "$BEFORE" "$PROFILES"
