#!/usr/bin/env bash
# Mutation testing with PIT: mutates every class but the command line's, one change at a time,
# reruns the tests that cover it, then prints the share of mutants the tests detected, per
# package (scripts/mutation-score.py). Fails if model, train, data, sample, check or io is
# below MIN percent (95 unless given).
#
#   scripts/mutation.sh                      everything (about half an hour on 2 busy cores)
#   scripts/mutation.sh 'charrnn.data.*'     one package while working on it
#   MIN=0 scripts/mutation.sh                report only
#
# Report: target/pit-reports/index.html; every mutant: target/pit-reports/mutations.xml.
set -euo pipefail
cd "$(dirname "$0")/.."
targets="${1:-charrnn.*}"
mvn -B -ntp -q -Ppit -Dpit.targetClasses="$targets" test-compile org.pitest:pitest-maven:mutationCoverage
if [ "$targets" = "charrnn.*" ]; then
  python3 scripts/mutation-score.py --min "${MIN:-95}" target/pit-reports/mutations.xml
else
  python3 scripts/mutation-score.py --survivors target/pit-reports/mutations.xml
fi
