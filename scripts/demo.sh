#!/usr/bin/env bash
# The main job: two blue-green rollouts on the embedded traffic lab, driven by the engine the Pipeline steps use.
# Installs what is missing (JDK, Maven, PostgreSQL, Prometheus, postgres_exporter), builds, and runs the demo:
# a healthy version goes 5 -> 50 -> 100 % and is promoted; a faulty one is rolled back by its error-rate gate.
# Reports: target/demo-reports/*.html. Options (scripts/demo.sh --help): e.g. --scenarios healthy,faulty,database
# for the second guide's database incident, or --window 1m --bake 5m --sustain 60s --rate-window 1m for real windows.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/prerequisites.sh
ensure_build_tools
ensure_test_services
exec mvn -B -q -f central/pom.xml -pl plugin -am -Plab process-test-classes \
  -Dlab.main=io.jenkins.plugins.bluegreen.lab.Demo -Dlab.args="--reports $(pwd)/target/demo-reports $*"
