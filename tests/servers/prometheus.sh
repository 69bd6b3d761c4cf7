# promtool for the alert-rule tests (tests/Focus.IntegrationTests/Observability/): Debian's prometheus package ships
# it; `promtool check rules` and `promtool test rules` run on deploy/prometheus/focus-rules.yaml. No server to start.
# shellcheck shell=bash
packages+=(prometheus)

start_prometheus() {
  command -v promtool >/dev/null && echo "prometheus.sh: $(promtool --version 2>&1 | head -1)"
}

stop_prometheus() {
  :
}
