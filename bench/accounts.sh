#!/usr/bin/env bash
# Accounts benchmarks against a release build on loopback, with wrk:
#  1. reference: GET /healthz/ (no database), 64 connections;
#  2. authenticated GET /rest-auth/user/ (signature + session lookup), 64 connections;
#  3. GET /healthz/ latency (4 connections) while 64 connections log in (bcrypt, cost 12).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
need_wrk

WORK=$(mktemp -d)
trap 'kill $SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
DURATION=${BENCH_DURATION:-10s}

start_with_user "$WORK"

echo "netsmith accounts benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), wrk -t2 -c64 -d$DURATION"
wrk -t2 -c64 -d"$DURATION" --latency "$BASE/healthz/" >"$WORK/health.txt"
summary "GET /healthz/ (reference, no database)" "$WORK/health.txt"
wrk -t2 -c64 -d"$DURATION" --latency -H "Authorization: Token $TOKEN" "$BASE/rest-auth/user/" >"$WORK/user.txt"
summary "GET /rest-auth/user/ (authenticated)" "$WORK/user.txt"

wrk -t1 -c64 -d15s --latency -s bench/login.lua "$BASE/rest-auth/login/" >"$WORK/login.txt" &
STORM=$!
sleep 2
wrk -t1 -c4 -d10s --latency "$BASE/healthz/" >"$WORK/health-storm.txt"
wait $STORM
summary "POST /rest-auth/login/ storm (64 connections, bcrypt 12)" "$WORK/login.txt"
summary "GET /healthz/ during the login storm (4 connections)" "$WORK/health-storm.txt"
