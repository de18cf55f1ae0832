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

kube_version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$here/kube/go.mod")
[[ -n $kube_version ]] || { echo "cannot read the k8s.io/kubernetes version from kube/go.mod" >&2; exit 1; }
etcd_version=$(awk '$1 == "require" && $2 == "go.etcd.io/etcd/server/v3" {print $3}' "$here/etcd/go.mod")
[[ -n $etcd_version ]] || { echo "cannot read the etcd version from etcd/go.mod" >&2; exit 1; }

major_minor=${kube_version#v}
kube_major=${major_minor%%.*}
kube_minor=${major_minor#*.}
kube_minor=${kube_minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X ${pkg}.gitVersion=${kube_version} -X ${pkg}.gitMajor=${kube_major}"
    ldflags+=" -X ${pkg}.gitMinor=${kube_minor} -X ${pkg}.gitTreeState=clean"
done

# The key covers everything that changes the binaries: the pinned modules and the link flags.
key=$( (cat "$here"/kube/go.mod "$here"/kube/go.sum "$here"/etcd/go.mod "$here"/etcd/go.sum "$here"/etcd/main.go;
        echo "$ldflags") | sha256sum | cut -c1-12)
out="$cache_root/kube-${kube_version}-etcd-${etcd_version}-${key}"

if [[ ${1:-} == --print ]]; then
    echo "$out"
    exit 0
fi

if [[ -x $out/kube-apiserver && -x $out/kubectl && -x $out/etcd ]]; then
    echo "$out"
    exit 0
fi

command -v go >/dev/null || { echo "go is not installed; the control plane is built with Go" >&2; exit 1; }

log() { printf '[controlplane] %s\n' "$*" >&2; }

# Build into a scratch directory and rename at the end, so an interrupted build never leaves a
# half-filled cache directory that a later run would trust.
mkdir -p "$cache_root"
tmp=$(mktemp -d "$cache_root/.build.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

export CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
start=$(date +%s)
log "building kube-apiserver and kubectl ${kube_version} (first build takes minutes)"
(cd "$here/kube" && go build -trimpath -ldflags "$ldflags" -o "$tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
log "building etcd ${etcd_version}"
(cd "$here/etcd" && go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" .)

"$tmp/kube-apiserver" --version >&2
"$tmp/etcd" --version | head -n 1 >&2

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
log "built in $(( $(date +%s) - start )) s into $out"
echo "$out"
