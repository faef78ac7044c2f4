# Shared helpers for the benchmark scripts: start a release server on a free port with
# its own data folder, and summarise wrk's output.

TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/netsmith/target}
NETSMITH=${NETSMITH_BIN:-$TARGET_DIR/release/netsmith}

# use_pyenv: builds the pinned venv of `make pyenv` if missing; sets PY to its Python
# (the folder is named after the requirements' hash, as in the Makefile).
use_pyenv() {
    make -s pyenv
    PY=$HOME/.cache/netsmith/py-$(sha256sum python/requirements.txt | cut -c1-16)/bin/python
}

need_wrk() {
    command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null || {
        apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null
    }
}

# start_server DIR: runs `netsmith serve` on 127.0.0.1:0, sets BASE and SERVER_PID.
start_server() {
    local dir=$1
    NETSMITH_DATA_DIR=$dir NETSMITH_BIND=127.0.0.1:0 "$NETSMITH" serve >"$dir/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        BASE=$(grep -o 'listening on http://[0-9.:]*' "$dir/server.log" | head -n1 | sed 's/listening on //') || true
        [ -n "$BASE" ] && return 0
        sleep 0.1
    done
    echo "server did not start" >&2
    cat "$dir/server.log" >&2
    return 1
}

# summary LABEL FILE: one line with requests/s and the latency percentiles wrk printed.
summary() {
    local label=$1 file=$2
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' "$file")
    p50=$(awk '$1 == "50%" {print $2}' "$file")
    p99=$(awk '$1 == "99%" {print $2}' "$file")
    printf '%-58s %12s req/s   p50 %-9s p99 %s\n' "$label" "$rps" "$p50" "$p99"
}

# start_with_user DIR: a verified user `bench` in a fresh data folder, the server
# started on it (BASE, SERVER_PID), and its login key in TOKEN.
start_with_user() {
    local dir=$1
    NETSMITH_DATA_DIR=$dir "$NETSMITH" user create --username bench --email bench@example.com \
        --password plum-orchard-9 --verified >/dev/null
    start_server "$dir"
    TOKEN=$(curl -sf -X POST "$BASE/rest-auth/login/" -H 'Content-Type: application/json' \
        -d '{"username": "bench", "password": "plum-orchard-9"}' | sed 's/.*"key":"\([^"]*\)".*/\1/')
}
