#!/usr/bin/env bash
# Guess scaling, accuracy for compute (docs/BENCHMARKS.md "Guess scaling"): one embedded worker with the shipped
# model, hrm-tools bench for samples 1, 2, 4, 8, 16 on fresh 36-50 and 57-78 givens puzzles, then 57-78 samples 1
# and 4 interleaved three times. Run from the repository root after `mvn -B package -DskipTests`, on an otherwise
# idle machine.
set -u
W=worker/target/hrm-worker.jar; T=producer-tools/target/hrm-tools.jar
DATA=$(mktemp -d); LOG=$DATA/worker.log
OMP_WAIT_POLICY=PASSIVE java -jar $W run --embedded --data-dir "$DATA" --metrics-port 18080 > "$LOG" 2>&1 &
WPID=$!
until grep -q "hrm-worker ready" "$LOG"; do sleep 1; done
bench() {   # givens count seed samples
  echo "== givens $1 n $2 seed $3 samples $4 $(date -u +%H:%M:%S)"
  java -jar $T bench --generate --givens "$1" -n "$2" --seed "$3" --samples "$4" --timeout 300s --no-progress 2>&1 \
    | grep -E "throughput|accuracy|views|compute steps|latency ms"
}
java -jar $T bench --generate --givens 57-78 -n 100 --seed 1 --samples 1 --no-progress > /dev/null 2>&1   # warm-up
for s in 1 2 4 8 16; do bench 36-50 100 20261203 $s; done
for s in 1 2 4 8 16; do bench 57-78 300 20261204 $s; done
for round in 1 2 3; do for s in 1 4; do bench 57-78 300 20261204 $s; done; done
kill -TERM $WPID; wait $WPID; rm -rf "$DATA"
