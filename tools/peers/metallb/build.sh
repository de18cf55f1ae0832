#!/usr/bin/env bash
# Builds MetalLB's own controller and speaker (the peer ferrolb is measured against and checked
# with) from its Go module go.universe.tf/metallb, at the version go.mod next to this script pins,
# through the Go module proxy, and caches the binaries. Nothing of MetalLB's is kept in this
# repository: the module comes from the proxy, its hash from go.sum.
#
#   tools/peers/metallb/build.sh            build what is missing, print the binary directory
#   tools/peers/metallb/build.sh --print    print the binary directory, build nothing
#
# Cache: ${FERROLB_CACHE:-~/.cache/ferrolb}/peers/metallb-<version>-<key>/{controller,speaker},
# where <key> hashes go.mod, go.sum and the link flags. The first build takes minutes (2 cores);
# a second run finds the binaries.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${FERROLB_CACHE:-${HOME}/.cache/ferrolb}/peers

version=$(awk '$1 == "require" && $2 == "go.universe.tf/metallb" {print $3}' "$here/go.mod")
[[ -n $version ]] || { echo "cannot read the go.universe.tf/metallb version from go.mod" >&2; exit 1; }

ldflags="-s -w -X go.universe.tf/metallb/internal/version.gitCommit=module-${version}"
key=$( (cat "$here/go.mod" "$here/go.sum"; echo "$ldflags") | sha256sum | cut -c1-12)
out="$cache_root/metallb-${version}-${key}"

if [[ ${1:-} == --print ]]; then
    echo "$out"
    exit 0
fi
if [[ -x $out/controller && -x $out/speaker ]]; then
    echo "$out"
    exit 0
fi

[[ -x /usr/local/go/bin/go ]] && PATH=$PATH:/usr/local/go/bin
command -v go >/dev/null || { echo "go is not installed; MetalLB is built with Go" >&2; exit 1; }
log() { printf '[metallb] %s\n' "$*" >&2; }

# Built into a scratch directory and renamed at the end: an interrupted build leaves nothing a
# later run would trust.
mkdir -p "$cache_root"
tmp=$(mktemp -d "$cache_root/.build.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

export CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
start=$(date +%s)
log "building MetalLB ${version} controller and speaker (first build takes minutes)"
(cd "$here" && go build -trimpath -ldflags "$ldflags" -o "$tmp/" \
    go.universe.tf/metallb/controller go.universe.tf/metallb/speaker)

rm -rf "$out"
mv "$tmp" "$out"
trap - EXIT
log "built in $(( $(date +%s) - start )) s into $out"
echo "$out"
