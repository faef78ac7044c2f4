#!/usr/bin/env bash
# Training benchmark, in one run on this machine:
#  1. images/s of the seed's default CNN trained by the server's engine (through the API,
#     training time as the run reports it) against the generated PyTorch script on the
#     same data and network, on digits (8x8x1) and on a synthetic 28x28x1 set;
#  2. test accuracy of the default CNN on digits against seconds of training.
# Both sides use every core (burn through rayon, PyTorch through its own threads).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

use_pyenv
STEPS=${BENCH_TRAIN_STEPS:-600}

WORK=$(mktemp -d)
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
start_with_user "$WORK"
AUTH="Authorization: Token $TOKEN"
J='Content-Type: application/json'
"$PY" bench/synth_images.py "$WORK/synth.zip"

echo "netsmith training benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), $STEPS steps of 32"

# config NAME ITER OPTIMIZER LR: the seed's network with these training fields.
config() {
    cat <<JSON
{"modelName": "$1", "iter": $2, "learning_rate": $4, "ratio": 0.8, "loss_name": "entropy",
 "optimizer_name": "$3", "net_type": "CNN", "batch_size": 32,
 "net_config": {"middle_layer": [{"layer": "conv", "filter": [2, 2, 10]},
   {"layer": "conv", "filter": [2, 2, 20]}, {"layer": "pool"}, {"layer": "norm"},
   {"layer": "active"}, {"layer": "connect"}, {"layer": "connect"}], "output_layer": {}}}
JSON
}

json() { "$PY" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# model NAME FILE ITER OPTIMIZER LR: uploads FILE and saves the configuration.
model() {
    local id
    id=$(curl -sf -H "$AUTH" -F file_type=zip -F file_class=picture -F "file=@$2" "$BASE/data/" | json 'd["data_id"]')
    curl -sf -X POST "$BASE/data/create/" -H "$AUTH" -H "$J" -d "{\"modelName\": \"$1\", \"dataId\": $id}" >/dev/null
    config "$1" "$3" "$4" "$5" | curl -sf -X POST "$BASE/construct/config/" -H "$AUTH" -H "$J" -d @- >/dev/null
}

# train NAME: runs the model to the end; prints the run's details as JSON.
train() {
    local run status
    run=$(curl -sf -X POST "$BASE/generation/run/basic/" -H "$AUTH" -H "$J" -d "{\"modelName\": \"$1\"}" | json 'd["run_id"]')
    # Polled with curl and grep only: a Python start-up per poll would take CPU from training.
    while :; do
        status=$(curl -sf "$BASE/generation/run/details/?run_id=$run" -H "$AUTH" | grep -o '"status":"[a-z]*"')
        case $status in *completed* | *failed* | *stopped*) break ;; esac
        sleep 1
    done
    curl -sf "$BASE/generation/run/details/?run_id=$run" -H "$AUTH"
}

# pytorch NAME FILE: the generated script's images/s over STEPS steps.
pytorch() {
    curl -sf -X POST "$BASE/generation/generate/" -H "$AUTH" -H "$J" \
        -d "{\"modelName\": \"$1\", \"framework\": \"pytorch\"}" | json 'd["code"]' >"$WORK/$1.py"
    "$PY" "$WORK/$1.py" "$2" --steps "$STEPS" --out "$WORK/$1.pt" 2>/dev/null |
        "$PY" -c "
import re, sys
seconds = sum(float(m.group(1)) for m in re.finditer(r'duration=([0-9.]+)', sys.stdin.read()))
print(f'{$STEPS * 32 / seconds:.0f}')"
}

for set in ${BENCH_TRAIN_SETS:-digits synth}; do
    file=fixtures/datasets/digits.zip
    [ "$set" = synth ] && file=$WORK/synth.zip
    model "$set" "$file" "$STEPS" adam 0.001
    ours=$(train "$set" | json "f'{$STEPS * 32 / d[\"training_seconds\"]:.0f}'")
    theirs=$(pytorch "$set" "$file")
    shape=$([ "$set" = synth ] && echo 28x28x1 || echo 8x8x1)
    printf '%-8s %-8s netsmith %6s images/s   PyTorch %6s images/s   ratio %s\n' "$set" "$shape" \
        "$ours" "$theirs" "$("$PY" -c "print(f'{$ours / $theirs:.2f}x')")"
done

# Accuracy against training time: the seed's network and optimiser settings as given
# (GradientDescentOptimizer, 0.01) and with Adam (0.001), on digits.
for optimizer in "GradientDescentOptimizer 0.01" "AdamOptimizer 0.001"; do
    set -- $optimizer
    model "curve-$1" fixtures/datasets/digits.zip 6000 "$1" "$2"
    train "curve-$1" | json "
'$1 lr $2: ' + ', '.join(
    [f'{p[\"accuracy\"]:.3f} at {t:.1f} s' for p, t in zip(d['points'], __import__('itertools').accumulate(p['duration'] for p in d['points'])) if p['step'] % 1000 == 0]
) + '; first >= 0.97 after ' + next((f'{t:.1f} s (step {p[\"step\"]})' for p, t in zip(d['points'], __import__('itertools').accumulate(p['duration'] for p in d['points'])) if p['accuracy'] >= 0.97), 'never')"
done
