#!/usr/bin/env bash
# Mutation testing with PIT: mutates every class but the command line's, one change at a time,
# reruns the tests that cover it, then prints the share of mutants the tests detected, per
# package (scripts/mutation-score.py). Fails if model, train, data, sample, check or io is
# below MIN percent (95 unless given).
#
#   scripts/mutation.sh                      everything, model against every test (half an hour
#                                            on 2 busy cores before the model's rewrite; not
#                                            timed since, and slower: see below)
#   scripts/mutation.sh 'charrnn.data.*'     one package while working on it
#   scripts/mutation.sh 'charrnn.model.*'    the model package with its own tests only (see below)
#   MIN=0 scripts/mutation.sh                report only
#   scripts/mutation.sh 'charrnn.io.*' -Dpit.threads=1    further arguments go to Maven
#
# The model package is mutated against the tests in charrnn.model only, without the tests
# tagged vector-widths: every other package's tests (training runs, learning tests, the command
# line) also run the model, slowly under PIT, so a surviving mutant cost minutes; and the
# vector-widths tests, once run, slow the CPU's own vector kernels in the same JVM (surefire
# runs them in a JVM of their own for that reason; PIT cannot). Give -Dpit.targetTests=charrnn.*
# and -Dpit.excludedGroups=none after the package to measure it with every test.
#
# Report: target/pit-reports/index.html; every mutant: target/pit-reports/mutations.xml.
set -euo pipefail
cd "$(dirname "$0")/.."
targets="${1:-charrnn.*}"
shift || true
scope=()
if [ "$targets" = "charrnn.model.*" ]; then
  scope=(-Dpit.targetTests='charrnn.model.*' -Dpit.excludedGroups=vector-widths)
fi
mvn -B -ntp -q -Ppit -Dpit.targetClasses="$targets" "${scope[@]}" "$@" \
  test-compile org.pitest:pitest-maven:mutationCoverage
if [ "$targets" = "charrnn.*" ]; then
  python3 scripts/mutation-score.py --min "${MIN:-95}" target/pit-reports/mutations.xml
else
  python3 scripts/mutation-score.py --survivors target/pit-reports/mutations.xml
fi
