#!/usr/bin/env bash
# Installs the Debian packages the speaker, its namespace tests and the lab use, when they are
# missing, and says what it installs. Used by ./lab and .ci/run.
#
#   tools/system-packages.sh            install what is missing (apt-get, as root or through sudo)
#   tools/system-packages.sh --check    list what is missing, install nothing (exit 1 if anything is)
set -euo pipefail

# libpcap: the speaker's ARP/NDP wire; iproute2, iptables: namespaces and the handoff; arping, curl,
# tcpdump, ndisc6: the lab's client and the tests' observers; jq, skopeo, umoci, runc, binutils: the
# images built and run without Docker (tools/images/build.sh, check.sh); gcc, libc6-dev: the cluster
# lab's static pause and web binaries (tools/images/lab/build.sh); containerd, containernetworking-plugins,
# conntrack: the cluster lab's nodes (containerd, the bridge CNI plugin, kube-proxy).
packages=(libpcap0.8 iproute2 iptables arping curl tcpdump ndisc6 jq skopeo umoci runc binutils gcc libc6-dev
    containerd containernetworking-plugins conntrack)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
    echo "[packages] present: ${packages[*]}"
    exit 0
fi
if [[ ${1:-} == --check ]]; then
    echo "[packages] missing: ${missing[*]}"
    exit 1
fi
command -v apt-get >/dev/null || {
    echo "[packages] missing ${missing[*]}, and this is not a Debian/Ubuntu machine: install them yourself" >&2
    exit 1
}
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
echo "[packages] installing with apt-get: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "[packages] installed: ${missing[*]}"
