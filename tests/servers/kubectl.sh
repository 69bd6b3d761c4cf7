# kubectl for the manifest tests (tests/Focus.IntegrationTests/Kubernetes/): they run `kubectl kustomize` on k8s/
# and fail when no kubectl is on PATH. Debian 12's package is kubernetes-client (kubectl 1.20, kustomize v2.0.3,
# which the manifests are kept to); a machine that already has a kubectl (e.g. the `kubectl` package, which
# conflicts with it) keeps its own. No server: the API exchange the tests need is recorded, served in-process.
# shellcheck shell=bash
if ! command -v kubectl >/dev/null 2>&1; then
  packages+=(kubernetes-client)
fi

start_kubectl() {
  command -v kubectl >/dev/null && echo "kubectl.sh: $(kubectl version --client 2>/dev/null | head -1)"
}

stop_kubectl() {
  :
}
