#!/usr/bin/env bash
# Every matrix product shape a model runs (issue 10's microbenchmark): GFLOP/s per core and the
# fraction of the core's peak, float32 and float64, pinned to one core.
#
#   bash bench/products.sh [SECONDS_PER_SHAPE]       (default 0.3)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q test-compile
exec taskset -c "${CORE:-1}" java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
    charrnn.model.ProductBench "$@" 2> >(grep -v "^WARNING: Using incubator modules" >&2)
