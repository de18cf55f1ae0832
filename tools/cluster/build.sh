#!/usr/bin/env bash
# Builds what the cluster lab runs besides the control plane, from the Go modules the wrapper
# modules next to this script pin, through the Go module proxy, and caches the binaries:
# kubelet, kube-proxy, kube-scheduler and kube-controller-manager (the same k8s.io/kubernetes
# version as tools/controlplane), and the Helm CLI that installs the chart as a user would.
#
#   tools/cluster/build.sh            build what is missing, print the binary directory
#   tools/cluster/build.sh --print    print the binary directory, build nothing
#
# Cache: ${FERROLB_CACHE:-~/.cache/ferrolb}/cluster/<versions>-<key>/, where <key> hashes the
# wrapper modules and link flags.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${FERROLB_CACHE:-${HOME}/.cache/ferrolb}/cluster

source "$here/../lib/gobuild.sh"
kube_version=$(gobuild_required "$here/kube/go.mod" k8s.io/kubernetes)
helm_version=$(gobuild_required "$here/helm/go.mod" helm.sh/helm/v3)
[[ -n $kube_version && -n $helm_version ]] || { echo "cannot read the pinned versions from kube/ and helm/go.mod" >&2; exit 1; }
controlplane_version=$(gobuild_required "$here/../controlplane/kube/go.mod" k8s.io/kubernetes)
[[ $kube_version == "$controlplane_version" ]] || {
    echo "the node components ($kube_version) must match the control plane ($controlplane_version)" >&2; exit 1; }

ldflags=$(gobuild_kube_ldflags "$kube_version")
helm_ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=${helm_version}"

key=$( (cat "$here"/kube/go.mod "$here"/kube/go.sum "$here"/helm/go.mod "$here"/helm/go.sum; echo "$ldflags $helm_ldflags") \
    | sha256sum | cut -c1-12)
out="$cache_root/kube-${kube_version}-helm-${helm_version}-${key}"
binaries=(kubelet kube-proxy kube-scheduler kube-controller-manager helm)

if [[ ${1:-} == --print ]]; then
    echo "$out"
    exit 0
fi
if gobuild_cached "$out" "${binaries[@]}"; then
    echo "$out"
    exit 0
fi

gobuild_start "$cache_root" cluster
log "building kubelet, kube-proxy, kube-scheduler, kube-controller-manager ${kube_version} (first build takes minutes)"
(cd "$here/kube" && go build -trimpath -ldflags "$ldflags" -o "$gobuild_tmp/" k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-controller-manager)
log "building helm ${helm_version}"
(cd "$here/helm" && go build -trimpath -ldflags "$helm_ldflags" -o "$gobuild_tmp/helm" helm.sh/helm/v3/cmd/helm)

"$gobuild_tmp/kubelet" --version >&2
"$gobuild_tmp/helm" version --short >&2

gobuild_finish "$out"
