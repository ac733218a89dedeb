#!/usr/bin/env bash
# The traffic lab for a real Jenkins on this machine: a Kubernetes API server (fabric8's mock with a simulated control
# plane) holding the examples' services in namespace 'shop', blue and green app instances with real metrics and real
# connection pools to PostgreSQL, a load that follows the routers' weights, postgres_exporter and Prometheus, all on
# 127.0.0.1. It prints the API server, a token, Prometheus, Configuration-as-Code and script-console snippets for
# Jenkins, and a Pipeline; it writes every example rewritten for the lab to target/lab/. Ctrl-C stops everything.
# Options: scripts/lab.sh --help (ports, namespace, load, ...). Details: docs/lab.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/prerequisites.sh
ensure_build_tools
ensure_lab_services
exec mvn -B -q -f central/pom.xml -pl plugin -am -Plab process-test-classes \
  -Dlab.main=io.jenkins.plugins.bluegreen.lab.JenkinsLabCommand \
  -Dlab.args="--examples $(pwd)/examples --jenkinsfiles $(pwd)/target/lab $*"
