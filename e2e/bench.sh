#!/usr/bin/env bash
# Runs one of the e2e benchmarks (docs/benchmarks.md) against freshly built binaries:
#   e2e/bench.sh allocation [backlog=10000] [arrivals=1000] [clients=16] [ferrolb|metallb]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "${1:-}" in
    allocation) main=io.ferrolb.e2e.bench.AllocationBenchmark ;;
    *) echo "usage: $0 allocation [args...]" >&2; exit 2 ;;
esac
shift
mvn -B -q -Pe2e install -DskipTests
mvn -B -q -Pe2e -pl e2e exec:java -Dexec.mainClass="$main" -Dexec.args="$*"
