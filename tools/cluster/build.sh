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

required() { awk -v m="$2" '$1 == "require" && $2 == m {print $3} $1 == m {print $2}' "$1" | head -n 1; }
kube_version=$(required "$here/kube/go.mod" k8s.io/kubernetes)
helm_version=$(required "$here/helm/go.mod" helm.sh/helm/v3)
[[ -n $kube_version && -n $helm_version ]] || { echo "cannot read the pinned versions from kube/ and helm/go.mod" >&2; exit 1; }
controlplane_version=$(required "$here/../controlplane/kube/go.mod" k8s.io/kubernetes)
[[ $kube_version == "$controlplane_version" ]] || {
    echo "the node components ($kube_version) must match the control plane ($controlplane_version)" >&2; exit 1; }

major_minor=${kube_version#v}
kube_major=${major_minor%%.*}
kube_minor=${major_minor#*.}
kube_minor=${kube_minor%%.*}
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X ${pkg}.gitVersion=${kube_version} -X ${pkg}.gitMajor=${kube_major}"
    ldflags+=" -X ${pkg}.gitMinor=${kube_minor} -X ${pkg}.gitTreeState=clean"
done
helm_ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=${helm_version}"

key=$( (cat "$here"/kube/go.mod "$here"/kube/go.sum "$here"/helm/go.mod "$here"/helm/go.sum; echo "$ldflags $helm_ldflags") \
    | sha256sum | cut -c1-12)
out="$cache_root/kube-${kube_version}-helm-${helm_version}-${key}"
binaries=(kubelet kube-proxy kube-scheduler kube-controller-manager helm)

if [[ ${1:-} == --print ]]; then
    echo "$out"
    exit 0
fi
complete=true
for b in "${binaries[@]}"; do [[ -x $out/$b ]] || complete=false; done
if $complete; then
    echo "$out"
    exit 0
fi

command -v go >/dev/null || { echo "go is not installed; the node components are built with Go" >&2; exit 1; }
log() { printf '[cluster] %s\n' "$*" >&2; }

# Build into a scratch directory and rename at the end: an interrupted build never leaves a
# half-filled cache directory that a later run would trust.
mkdir -p "$cache_root"
tmp=$(mktemp -d "$cache_root/.build.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

export CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
start=$(date +%s)
log "building kubelet, kube-proxy, kube-scheduler, kube-controller-manager ${kube_version} (first build takes minutes)"
(cd "$here/kube" && go build -trimpath -ldflags "$ldflags" -o "$tmp/" k8s.io/kubernetes/cmd/kubelet \
    k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-controller-manager)
log "building helm ${helm_version}"
(cd "$here/helm" && go build -trimpath -ldflags "$helm_ldflags" -o "$tmp/helm" helm.sh/helm/v3/cmd/helm)

"$tmp/kubelet" --version >&2
"$tmp/helm" version --short >&2

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
log "built in $(( $(date +%s) - start )) s into $out"
echo "$out"
