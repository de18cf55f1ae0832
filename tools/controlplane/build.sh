#!/usr/bin/env bash
# Builds a real Kubernetes control plane (kube-apiserver, kubectl, etcd) from the Go modules the
# wrapper modules next to this script pin, through the Go module proxy, and caches the binaries.
#
#   tools/controlplane/build.sh            build what is missing, print the binary directory
#   tools/controlplane/build.sh --print    print the binary directory, build nothing
#
# Cache: ${FERROLB_CACHE:-~/.cache/ferrolb}/controlplane/<key>/{kube-apiserver,kubectl,etcd},
# where <key> hashes the wrapper modules and link flags, so changing a version builds into a new
# directory. A second run finds the binaries and costs a few milliseconds.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${FERROLB_CACHE:-${HOME}/.cache/ferrolb}/controlplane

source "$here/../lib/gobuild.sh"
kube_version=$(gobuild_required "$here/kube/go.mod" k8s.io/kubernetes)
[[ -n $kube_version ]] || { echo "cannot read the k8s.io/kubernetes version from kube/go.mod" >&2; exit 1; }
etcd_version=$(gobuild_required "$here/etcd/go.mod" go.etcd.io/etcd/server/v3)
[[ -n $etcd_version ]] || { echo "cannot read the etcd version from etcd/go.mod" >&2; exit 1; }
ldflags=$(gobuild_kube_ldflags "$kube_version")

# The key covers everything that changes the binaries: the pinned modules and the link flags.
key=$( (cat "$here"/kube/go.mod "$here"/kube/go.sum "$here"/etcd/go.mod "$here"/etcd/go.sum "$here"/etcd/main.go;
        echo "$ldflags") | sha256sum | cut -c1-12)
out="$cache_root/kube-${kube_version}-etcd-${etcd_version}-${key}"

if [[ ${1:-} == --print ]]; then
    echo "$out"
    exit 0
fi

if gobuild_cached "$out" kube-apiserver kubectl etcd; then
    echo "$out"
    exit 0
fi

gobuild_start "$cache_root" controlplane
log "building kube-apiserver and kubectl ${kube_version} (first build takes minutes)"
(cd "$here/kube" && go build -trimpath -ldflags "$ldflags" -o "$gobuild_tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
log "building etcd ${etcd_version}"
(cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$gobuild_tmp/etcd" .)

"$gobuild_tmp/kube-apiserver" --version >&2
"$gobuild_tmp/etcd" --version | head -n 1 >&2

gobuild_finish "$out"
