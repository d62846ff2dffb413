#!/usr/bin/env bash
# A 1 GB corpus in a 2 GB heap: reading speed and memory.
#   bash bench/big-corpus.sh [SIZE_MB]
# Writes SIZE_MB (default 1024) of the project's own data/logbook.txt, repeated, to a temporary
# file, trains 2000 updates on it with -Xmx2g, and prints the read time, the read speed and the
# peak resident memory of the JVM. Build first: mvn -B -ntp -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
corpus="$dir/big.txt"
python3 - "$corpus" "$size_mb" <<'PY'
import sys
src = open("data/logbook.txt", "rb").read()
target = int(sys.argv[2]) * 1024 * 1024
with open(sys.argv[1], "wb") as f:
    written = 0
    while written < target:
        f.write(src)
        written += len(src)
PY
bytes=$(stat -c %s "$corpus")
/usr/bin/time -f "peak resident memory: %M KB" \
  java -Xmx2g -jar target/charrnn.jar --iterations 2000 --print-every 1000 \
  --sample-every 0 --val-fraction 0 --save "$dir/big.ckpt" "$corpus" 2>&1 | grep -v "^WARNING: Using incubator" | tee "$dir/out.txt"
seconds=$(sed -n 's/.*read in \([0-9.]*\) s.*/\1/p' "$dir/out.txt")
python3 -c "print(f'read {int(\"$bytes\")/1e6:.0f} MB in $seconds s: {int(\"$bytes\")/1e6/float(\"$seconds\"):.0f} MB/s')"
