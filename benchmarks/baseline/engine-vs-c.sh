#!/usr/bin/env bash
# The engine's decode rates on stories260K beside the plain-C baseline, measured side by side on this machine:
# the baseline three times, the engine (one intra-op thread), the baseline three times again.
#
#   benchmarks/baseline/engine-vs-c.sh [../shared/realdata]     # extra arguments go to `c2c bench-engine`
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
realdata=${1:-${C2C_REALDATA:-$root/../shared/realdata}}
shift || true
checkpoint="$realdata/models/stories260K/stories260K.bin"
[ -f "$checkpoint" ] || { echo "no $checkpoint: pass the realdata directory as the first argument" >&2; exit 2; }

mkdir -p "$root/target"
baseline="$root/target/llama2c_decode"
gcc -O3 -march=native -o "$baseline" "$root/benchmarks/baseline/llama2c_decode.c" -lm
model="$root/target/stories260K"
[ -f "$model/config.json" ] || "$root/bin/c2c" import-llama2c --checkpoint "$checkpoint" \
    --tokenizer "$realdata/models/stories260K/tok512.bin" --out "$model" >/dev/null

rates=()
baseline_runs() {
  for _ in 1 2 3; do
    rates+=("$("$baseline" "$checkpoint" 256 | awk '/^decode:/ {print $2}')")
    echo "C baseline: ${rates[-1]} tokens/s"
  done
}
baseline_runs
C2C_JAVA_OPTS="-Dai.djl.pytorch.num_threads=1 ${C2C_JAVA_OPTS:-}" "$root/bin/c2c" bench-engine --model "$model" "$@"
baseline_runs
median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{v[NR]=$1} END {print (v[int((NR+1)/2)] + v[int(NR/2)+1]) / 2}')
echo "C baseline median of ${#rates[@]} runs: $median tokens/s (divide the engine's decode rates by it)"
