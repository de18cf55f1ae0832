# Sourced by the scripts that build pinned Go modules into a cache directory (tools/controlplane,
# tools/peers/metallb, tools/cluster): reading a pinned version, Kubernetes' version stamp, the
# cache check and the scratch directory that becomes the cache entry only when the build is done.

# The version go.mod ($1) requires of module $2 (a one-line require or a line of a require block).
gobuild_required() {
    awk -v m="$2" '$1 == "require" && $2 == m {print $3} $1 == m {print $2}' "$1" | head -n 1
}

# Link flags that strip the binaries and stamp Kubernetes version $1 where `--version` reads it.
gobuild_kube_ldflags() {
    local version=$1 major_minor major minor flags="-s -w" pkg
    major_minor=${version#v}
    major=${major_minor%%.*}
    minor=${major_minor#*.}
    minor=${minor%%.*}
    for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
        flags+=" -X ${pkg}.gitVersion=${version} -X ${pkg}.gitMajor=${major}"
        flags+=" -X ${pkg}.gitMinor=${minor} -X ${pkg}.gitTreeState=clean"
    done
    echo "$flags"
}

# True when directory $1 holds every binary named after it.
gobuild_cached() {
    local dir=$1 binary
    shift
    for binary in "$@"; do
        [[ -x $dir/$binary ]] || return 1
    done
}

# Starts a build of what $2 names (for messages) under cache root $1: checks for Go, makes the
# scratch directory $gobuild_tmp (removed on exit unless gobuild_finish renames it) and sets the
# environment every build here uses. Defines log() with the prefix [$2].
gobuild_start() {
    local cache_root=$1
    gobuild_label=$2
    # sudo's secure_path often lacks Go's default install directory.
    [[ -x /usr/local/go/bin/go ]] && PATH=$PATH:/usr/local/go/bin
    command -v go >/dev/null || { echo "go is not installed: [${gobuild_label}] is built from Go modules" >&2; exit 1; }
    mkdir -p "$cache_root"
    # Build into a scratch directory and rename it at the end, so that an interrupted build never
    # leaves a half-filled cache directory that a later run would trust.
    gobuild_tmp=$(mktemp -d "$cache_root/.build.XXXXXX")
    chmod 755 "$gobuild_tmp"
    trap 'rm -rf "$gobuild_tmp"' EXIT
    export CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
    gobuild_started=$(date +%s)
}

log() { printf '[%s] %s\n' "${gobuild_label:-build}" "$*" >&2; }

# Makes the scratch directory the cache entry $1 and prints its path.
gobuild_finish() {
    local out=$1
    rm -rf "$out"
    mv "$gobuild_tmp" "$out"
    trap - EXIT
    log "built in $(( $(date +%s) - gobuild_started )) s into $out"
    echo "$out"
}
