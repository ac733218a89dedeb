#!/usr/bin/env bash
# The main job. Until the demo rollout on the embedded lab exists, it builds the installable plugin.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/prerequisites.sh
ensure_build_tools
mvn -B -q -f central/pom.xml package -DskipTests "$@"
echo
echo "Built the plugin: $(pwd)/central/target/blue-green-deployment.hpi"
echo "Install it in Jenkins under Manage Jenkins > Plugins > Advanced settings > Deploy Plugin."
