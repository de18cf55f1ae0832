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

source "$here/../../lib/gobuild.sh"
version=$(gobuild_required "$here/go.mod" go.universe.tf/metallb)
[[ -n $version ]] || { echo "cannot read the go.universe.tf/metallb version from go.mod" >&2; exit 1; }

ldflags="-s -w -X go.universe.tf/metallb/internal/version.gitCommit=module-${version}"
key=$( (cat "$here/go.mod" "$here/go.sum"; echo "$ldflags") | sha256sum | cut -c1-12)
out="$cache_root/metallb-${version}-${key}"

if [[ ${1:-} == --print ]]; then
    echo "$out"
    exit 0
fi
if gobuild_cached "$out" controller speaker; then
    echo "$out"
    exit 0
fi

gobuild_start "$cache_root" metallb
log "building MetalLB ${version} controller and speaker (first build takes minutes)"
(cd "$here" && go build -trimpath -ldflags "$ldflags" -o "$gobuild_tmp/" \
    go.universe.tf/metallb/controller go.universe.tf/metallb/speaker)

gobuild_finish "$out"
