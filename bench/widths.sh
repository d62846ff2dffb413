#!/usr/bin/env bash
# Same seed, same bits: one training run at every vector width and on plain Java, on each JDK.
#   bash bench/widths.sh [JAVA ...]
# Trains --hidden 64 --batch-size 4 --iterations 2000 on data/logbook.txt with the Vector API at
# the CPU's own width, at 4 doubles per vector (-XX:UseAVX=2), 2 (-XX:MaxVectorSize=16) and
# 1 (-XX:MaxVectorSize=8, where charrnn picks plain Java), and with plain Java (one JVM without
# the module: -Dcharrnn.launch=inline), on each java given (default: the java on PATH), and prints each run's kernels
# line and the sha256 of its final checkpoint, in float32 and in float64: one checksum per
# precision is the guarantee.
# The flags are x86 HotSpot's. JAR=other.jar runs another build. Build first:
# mvn -B -ntp -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${JAR:-target/charrnn.jar}
javas=("$@")
[ ${#javas[@]} -eq 0 ] && javas=(java)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
n=0
printf '%-8s %-8s %-21s %-33s %s\n' "JDK" "format" "JVM options" "kernels" "sha256 of the checkpoint"
for precision in float32 float64; do
for java in "${javas[@]}"; do
  version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
  for opts in "" "-XX:UseAVX=2" "-XX:MaxVectorSize=16" "-XX:MaxVectorSize=8" "plain"; do
    n=$((n + 1))
    if [ "$opts" = plain ]; then
      args=(-Dcharrnn.launch=inline)
    else
      args=(--add-modules jdk.incubator.vector $opts)
    fi
    "$java" "${args[@]}" -jar "$jar" --precision "$precision" --hidden 64 --batch-size 4 --iterations 2000 --sample-every 0 \
      --save "$dir/$n.ckpt" data/logbook.txt > "$dir/$n.out" 2>/dev/null
    kernels=$(sed -n 's/^kernels: \([^;]*\);.*/\1/p' "$dir/$n.out" | sed 's/, float32//')
    sum=$(sha256sum "$dir/$n.ckpt" | cut -d' ' -f1)
    printf '%-8s %-8s %-21s %-33s %s\n' "$version" "$precision" "${opts:-(default)}" "${kernels:0:33}" "$sum"
  done
done
done
