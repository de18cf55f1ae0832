#!/usr/bin/env bash
# Builds the cluster lab's own two images as OCI image archives and prints their directory:
#   ferrolb.local/pause:lab   the pod sandbox image containerd is configured with (pause.c)
#   ferrolb.local/web:lab     the web Deployment's image: HTTP on 8080, answers the node's name (web.c)
# Each is one statically linked C binary (gcc -static, from Debian's libc6-dev) and nothing else.
# FERROLB_IMAGES_OUT=dir says where the archives go (default: target/images).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${FERROLB_IMAGES_OUT:-$root/target/images}
# shellcheck source=../oci.sh
source "$here/../oci.sh"

for tool in gcc jq tar gzip sha256sum; do
    command -v "$tool" >/dev/null || { echo "[lab-images] missing $tool" >&2; exit 1; }
done
epoch=${SOURCE_DATE_EPOCH:-946684800}
mkdir -p "$out"
work=$(mktemp -d "$out/.lab-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

for name in pause web; do
    mkdir -p "$work/$name/rootfs"
    gcc -static -O2 -Wall -Werror -o "$work/$name/rootfs/$name" "$here/$name.c"
    strip "$work/$name/rootfs/$name"
    oci_layer "$work/$name/rootfs" "$work/$name/layer" "$epoch"
    case $name in
        pause) config='{"Entrypoint":["/pause"],"WorkingDir":"/"}' ;;
        web) config='{"Entrypoint":["/web"],"ExposedPorts":{"8080/tcp":{}},"User":"65534:65534","WorkingDir":"/"}' ;;
    esac
    archive=$out/$name-lab.oci.tar
    digest=$(oci_archive "$archive" "ferrolb.local/$name" lab "$epoch" "$config" "$work/$name/layer")
    echo "[lab-images] ferrolb.local/$name:lab -> $archive ($(stat -c %s "$archive") bytes, manifest sha256:${digest:0:12})" >&2
done
echo "$out"
