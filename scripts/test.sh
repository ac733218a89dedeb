#!/usr/bin/env bash
# Runs every test of the Maven Central build (central/), and packages central/target/blue-green-deployment.hpi.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/prerequisites.sh
ensure_build_tools
ensure_test_services
exec mvn -B -f central/pom.xml verify "$@"
