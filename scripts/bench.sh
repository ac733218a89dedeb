#!/usr/bin/env bash
# The benchmarks (docs/benchmarks.md): revert latency, detection time, concurrent rollouts and engine overhead on the
# lab. They print figures; nothing here passes or fails on a time. Arguments go to the Benchmarks program, e.g.
#   scripts/bench.sh                       # all four, default sizes (about 6 minutes on 2 cores)
#   scripts/bench.sh revert --rollbacks 50
#   scripts/bench.sh concurrency --sizes 50,200,500 --window 30 --interval 1
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/prerequisites.sh
ensure_build_tools
ensure_test_services
mvn -B -q -Dstyle.color=never -f central/pom.xml -pl plugin -am -Plab process-test-classes \
  -Dlab.main=io.jenkins.plugins.bluegreen.bench.Benchmarks -Dlab.args="${*:-all}"
