#!/usr/bin/env bash
# Proves that the archives tools/images/build.sh made are images that run, without Docker: reads
# each with skopeo, unpacks it with umoci and runs it with runc, in the container's own fresh
# network namespace (nothing leaves it; no rule, link or route of this machine is touched).
#
#   tools/images/check.sh [dir]        dir: where build.sh put the archives (default target/images)
#
# For each image: its config matches tools/images/<name>.env; every shared library its binaries
# need is in it; `java -version` runs, also with -Xshare:on (the JDK's CDS archive); ImageProbe (next to this script) loads what the binaries load
# only later (TLS's EC key exchanges and the trust store; libpcap through pcap4j and JNA for the
# speaker); the speaker's iptables, ip and ipvsadm run (--version, and iptables lists the empty
# tables of the container's own namespace); the entrypoint itself starts, as the chart runs it
# (read-only root, a tmpfs /tmp, the image's user, the speaker with NET_RAW and NET_ADMIN) and
# fails on the missing API server with a connection error, not a missing class, module or library.
# Needs root (runc), skopeo, umoci, runc, readelf and a JDK (javac): tools/system-packages.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${1:-$root/target/images}

for tool in skopeo umoci runc readelf javac jq; do
    command -v "$tool" >/dev/null || { echo "[check] missing $tool (tools/system-packages.sh)" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "[check] runs containers with runc: run it as root" >&2; exit 1; }
version=$(sed -n 's:^    <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
# shellcheck source=images.env
source "$here/images.env"

scratch=$(mktemp -d)
containers=()
cleanup() {
    local id
    for id in "${containers[@]}"; do runc delete -f "$id" >/dev/null 2>&1 || true; done
    rm -rf "$scratch"
}
trap cleanup EXIT

failures=0
ok() { printf '[check] ok    %s\n' "$*"; }
bad() { printf '[check] FAIL  %s\n' "$*"; failures=$((failures + 1)); }

# Runs args $4... in bundle $1 as the image would run (root read-only, tmpfs /tmp, the image's user),
# with extra environment $2 (JSON array) and extra capabilities $3 (JSON array); output to
# $bundle.log, at most $timeout seconds. Returns the exit code (124 on timeout).
timeout=60
run() {
    local bundle=$1 env=$2 caps=$3 id rc=0
    shift 3
    id=ferrolb-check-$$-${#containers[@]}
    containers+=("$id")
    jq --argjson args "$(printf '%s\n' "$@" | jq -R . | jq -sc .)" --argjson env "$env" --argjson caps "$caps" '
        .process.terminal = false | .process.args = $args | .process.env += $env
        | .process.capabilities |= with_entries(.value += $caps)
        | .root.readonly = true
        | .mounts += [{destination: "/tmp", type: "tmpfs", source: "tmpfs",
                       options: ["nosuid", "nodev", "mode=1777", "size=64m"]}]
        ' "$bundle/config.orig.json" > "$bundle/config.json"
    timeout "$timeout" runc run --bundle "$bundle" "$id" > "$bundle.log" 2>&1 || rc=$?
    runc delete -f "$id" >/dev/null 2>&1 || true
    return "$rc"
}

for name in controller speaker; do
    (
    # shellcheck source=controller.env
    source "$here/$name.env"
    archive=$dir/$name-$version.oci.tar
    echo "[check] $image:$version ($archive)"
    [[ -f $archive ]] || { bad "no $archive: run tools/images/build.sh"; exit 1; }

    # The config, as skopeo reads it from the archive.
    config=$(skopeo inspect --config "oci-archive:$archive")
    want=$(jq -cn --argjson e "$entrypoint" --arg u "$user" --arg p "$ports" \
        '{Entrypoint: $e, User: (if $u == "" then null else $u end), Ports: ($p | split(" ") | map(select(. != "")) | sort)}')
    got=$(jq -c '{Entrypoint: .config.Entrypoint, User: .config.User, Ports: (.config.ExposedPorts | keys | sort)}' <<< "$config")
    [[ $got == "$want" ]] && ok "config: $got" || bad "config: $got, expected $want"

    # Unpacked by umoci: the archive is an OCI layout in a tar.
    mkdir -p "$scratch/$name-layout"
    tar -xf "$archive" -C "$scratch/$name-layout"
    umoci unpack --image "$scratch/$name-layout:$version" "$scratch/$name" >/dev/null
    bundle=$scratch/$name
    rootfs=$bundle/rootfs
    cp "$bundle/config.json" "$bundle/config.orig.json"
    ok "unpacked: $(( $(du -sb "$rootfs" | cut -f1) / 1000000 )) MB of files, archive $(( $(stat -c %s "$archive") / 1000000 )) MB"

    # Every NEEDED library of every ELF file is in the image.
    # Known absent: libatm, which only iproute2's tc plugin for ATM qdiscs (q_atm.so) links.
    sonames=$( (find "$rootfs" -name '*.so*' -printf '%f\n'; echo libatm.so.1) | sort -u)
    missing=$(find "$rootfs" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
        | xargs -0 readelf -d 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u \
        | grep -vxF -f <(echo "$sonames") || true)
    [[ -z $missing ]] && ok "shared libraries: every NEEDED one is in the image" \
        || bad "shared libraries missing: $(echo $missing)"

    # The JVM, and the probe with the image's lib/ on the class path.
    run "$bundle" '[]' '[]' java -version && ok "java -version: $(sed -n 2p "$bundle.log")" \
        || bad "java -version: $(cat "$bundle.log")"
    # -Xshare:on fails without a usable class-data sharing archive (jlink --generate-cds-archive).
    run "$bundle" '[]' '[]' java -Xshare:on -version && ok "the JDK's class-data sharing archive maps" \
        || bad "java -Xshare:on: $(cat "$bundle.log")"
    mkdir -p "$scratch/probe"
    javac -d "$scratch/probe" --release 17 -cp "$rootfs$app_dir/lib/*" "$here/ImageProbe.java"
    mkdir -p "$rootfs/probe"
    cp "$scratch/probe/"*.class "$rootfs/probe/"
    checks=(tls)
    [[ $name == speaker ]] && checks+=(pcap)
    caps='[]'
    [[ $name == speaker ]] && caps='["CAP_NET_RAW", "CAP_NET_ADMIN"]'
    if run "$bundle" '[]' "$caps" java -cp "/probe:$app_dir/lib/*" ImageProbe "${checks[@]}"; then
        grep -E '^(tls|pcap): ' "$bundle.log" | while read -r line; do ok "$line"; done
    else
        bad "ImageProbe ${checks[*]}: $(cat "$bundle.log")"
    fi

    if [[ $name == speaker ]]; then
        for cmd in "iptables --version" "ip6tables --version" "ip -V" "iptables -L -n" "ip -br link"; do
            # shellcheck disable=SC2086
            run "$bundle" '[]' "$caps" $cmd && ok "$cmd: $(paste -sd' ' "$bundle.log" | cut -c1-150)" \
                || bad "$cmd: $(cat "$bundle.log")"
        done

        # ipvsadm asks the kernel for IPVS even for its version: where the kernel has none, it runs,
        # with its libraries, and says so.
        rc=0
        run "$bundle" '[]' "$caps" ipvsadm --version || rc=$?
        grep -qiE 'ipvsadm v|IP Virtual Server' "$bundle.log" \
            && ok "ipvsadm --version (exit $rc): $(paste -sd' ' "$bundle.log" | cut -c1-150)" \
            || bad "ipvsadm --version: $(cat "$bundle.log")"
    fi

    # The entrypoint, as in a pod whose API server cannot be reached.
    env='["KUBERNETES_SERVICE_HOST=127.0.0.1", "KUBERNETES_SERVICE_PORT=6443", "METALLB_NAMESPACE=metallb-system",
          "METALLB_POD_NAME=ferrolb-check", "METALLB_NODE_NAME=check-node"]'
    rc=0
    # shellcheck disable=SC2046
    run "$bundle" "$env" "$caps" $(jq -r '.[]' <<< "$entrypoint") || rc=$?
    cp "$bundle.log" "$dir/$name-check.log"
    if grep -qE 'ClassNotFoundException|NoClassDefFoundError|UnsatisfiedLinkError|FindException|LinkageError|Could not find or load' "$bundle.log"; then
        bad "entrypoint: a class, module or library is missing (log: $dir/$name-check.log)"
    elif grep -qE 'ConnectException|Connection refused|connect' "$bundle.log"; then
        ok "entrypoint: started, then $(grep -m1 -oE '[A-Za-z.]*ConnectException[^\n]{0,80}|Connection refused' "$bundle.log") (exit $rc; log: $dir/$name-check.log)"
    else
        bad "entrypoint: exit $rc without a connection error (log: $dir/$name-check.log)"
    fi
    exit $((failures > 0))
    ) || failures=$((failures + 1))
done

if ((failures > 0)); then
    echo "[check] images: $failures failed"
    exit 1
fi
echo "[check] images: controller and speaker run"
