# shellcheck shell=bash
# Layers and OCI image archives, shared by build.sh (controller, speaker) and lab/build.sh (the
# cluster lab's pause and web images). Sourced; the caller sets `set -euo pipefail`.

# Writes directory $1 as a layer into directory $2 (replaced): layer.tar.gz, its digest, the digest
# of the uncompressed tar (the diff_id) and the size of its files. Every file's time is $3; the
# scratch directory is made next to $2. Same files and time, same bytes.
oci_layer() {
    local dir=$1 dest=$2 mtime=$3 tmp
    mkdir -p "$(dirname "$dest")"
    tmp=$(mktemp -d "$(dirname "$dest")/.tmp.XXXXXX")
    (cd "$dir" && LC_ALL=C tar --sort=name --numeric-owner --owner=0 --group=0 --mtime="@$mtime" \
        --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        -cf "$tmp/layer.tar" $(ls -A))
    sha256sum < "$tmp/layer.tar" | cut -d' ' -f1 > "$tmp/diff_id"
    du -sb "$dir" | cut -f1 > "$tmp/files_bytes"
    gzip -n -6 "$tmp/layer.tar"
    sha256sum < "$tmp/layer.tar.gz" | cut -d' ' -f1 > "$tmp/digest"
    rm -rf "$dest"
    mv "$tmp" "$dest"
}

# Writes the oci-archive $1 of image $2 (repository, e.g. ferrolb/controller) tagged $3, created at
# epoch $4, whose config section is the JSON object $5, from the layer directories that follow
# (oci_layer's output, bottom first). Prints the manifest digest.
oci_archive() {
    local archive=$1 image=$2 tag=$3 epoch=$4 image_config=$5
    shift 5
    local oci l d created config config_digest manifest manifest_digest full
    local layer_json=() diff_ids=()
    oci=$(mktemp -d "$(dirname "$archive")/.oci.XXXXXX")
    mkdir -p "$oci/blobs/sha256"
    for l in "$@"; do
        d=$(cat "$l/digest")
        cp "$l/layer.tar.gz" "$oci/blobs/sha256/$d"
        layer_json+=("$(jq -cn --arg d "sha256:$d" --argjson s "$(stat -c %s "$l/layer.tar.gz")" \
            '{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}')")
        diff_ids+=("sha256:$(cat "$l/diff_id")")
    done
    created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
    config=$(jq -cn --arg created "$created" --argjson config "$image_config" --args '{
            created: $created, architecture: "amd64", os: "linux", config: $config,
            rootfs: {type: "layers", diff_ids: $ARGS.positional}
        }' "${diff_ids[@]}")
    config_digest=$(printf '%s' "$config" | sha256sum | cut -d' ' -f1)
    printf '%s' "$config" > "$oci/blobs/sha256/$config_digest"
    manifest=$(printf '%s\n' "${layer_json[@]}" | jq -cs --arg d "sha256:$config_digest" \
        --argjson s "${#config}" '{
            schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
            config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $d, size: $s},
            layers: .
        }')
    manifest_digest=$(printf '%s' "$manifest" | sha256sum | cut -d' ' -f1)
    printf '%s' "$manifest" > "$oci/blobs/sha256/$manifest_digest"
    # The tag for OCI tools, the full name for containerd's importer (as ctr export writes them):
    # a repository without a registry host (no dot, colon or localhost first) is Docker Hub's.
    full=$image:$tag
    [[ ${image%%/*} == *[.:]* || ${image%%/*} == localhost ]] || full=docker.io/$full
    jq -cn --arg d "sha256:$manifest_digest" --argjson s "$(stat -c %s "$oci/blobs/sha256/$manifest_digest")" \
        --arg full "$full" --arg tag "$tag" '{
            schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
            manifests: [{
                mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
                platform: {architecture: "amd64", os: "linux"},
                annotations: {"io.containerd.image.name": $full, "org.opencontainers.image.ref.name": $tag}
            }]
        }' > "$oci/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}' > "$oci/oci-layout"
    (cd "$oci" && LC_ALL=C tar --sort=name --numeric-owner --owner=0 --group=0 --mtime="@$epoch" \
        --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
        -cf "$archive.tmp" oci-layout index.json blobs)
    mv "$archive.tmp" "$archive"
    rm -rf "$oci"
    echo "$manifest_digest"
}
