#!/usr/bin/env bash
# Two models in one worker: sudoku throughput with only the sudoku model served, with both served (maze engine idle),
# and with maze traffic at the same time. Run from the repository root after `mvn -B package -DskipTests`, idle machine.
set -u
W=worker/target/hrm-worker.jar; T=producer-tools/target/hrm-tools.jar
start() {   # extra run flags
  DATA=$(mktemp -d); LOG=$DATA/worker.log
  OMP_WAIT_POLICY=PASSIVE java -jar $W run --embedded --data-dir "$DATA" --metrics-port 18082 "$@" > "$LOG" 2>&1 &
  WPID=$!
  until grep -q "hrm-worker ready" "$LOG"; do sleep 1; done
  grep -o "model .*, reading" "$LOG"
  java -jar $T bench --generate --givens 57-78 -n 100 --seed 1 --samples 1 --no-progress > /dev/null 2>&1   # warm-up
}
stop() { kill -TERM $WPID; wait $WPID; rm -rf "$DATA"; }
sudoku() { java -jar $T bench --generate --givens 57-78 -n 600 --seed 20261204 --samples 1 --timeout 300s --no-progress 2>&1 | grep -E "throughput|accuracy|compute steps"; }
maze() { java -jar $T bench --task maze --generate -n 150 --seed 20261206 --samples 1 --timeout 300s --no-progress 2>&1 | grep -E "throughput|accuracy|compute steps"; }
for round in 1 2; do   # interleaved: one run against the next varies by +-15% here
  echo "== sudoku only served $(date -u +%H:%M:%S)"; start --task sudoku; sudoku; stop
  echo "== both served, sudoku traffic only $(date -u +%H:%M:%S)"; start; sudoku; stop
done
echo "== both served, maze traffic $(date -u +%H:%M:%S)"; start; maze
echo "== both served, sudoku and maze traffic at once $(date -u +%H:%M:%S)"; (sudoku | sed 's/^/sudoku /') & SPID=$!; (maze | sed 's/^/maze   /'); wait $SPID
stop
