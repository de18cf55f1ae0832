#!/usr/bin/env bash
# Builds the controller and speaker images without Docker, as OCI image archives (oci-archive tar
# files: `kind load image-archive`, `ctr -n k8s.io images import`, `skopeo copy oci-archive:...`),
# tagged ferrolb/<name>:<version of the root pom.xml>, and prints the directory they are in.
#
#   tools/images/build.sh                    mvn package the two binaries, build both images
#   tools/images/build.sh --skip-maven       use the jars already under controller/ and speaker/target
#   tools/images/build.sh ... controller     only the images named (controller, speaker)
#   FERROLB_IMAGES_OUT=dir                   where the archives go (default: target/images)
#
# Nothing runs from a base image: the root filesystem is the .deb packages that images.env and
# <name>.env list, with their dependency closure (Depends and Pre-Depends, resolved by this
# machine's apt, which must be on the same Debian release), unpacked with dpkg-deb -x and no
# maintainer script; the Java runtime is jlink of Debian's OpenJDK jmods, trimmed to the modules
# images.env lists. Layers: base packages, Java runtime, the image's own packages (speaker), the
# jar with its lib/. controller/Dockerfile and speaker/Dockerfile describe the same images for
# Docker users (ImageSpecTest checks they agree with the .env files).
#
# Cache: ${FERROLB_CACHE:-~/.cache/ferrolb}/images/debs/ holds the downloaded .debs (their file
# names carry the version), layers/<kind>-<key>/ each layer, where <key> hashes the resolved
# package=version list (or the JDK version, modules and jlink options) and the layer recipe. A
# second run downloads nothing and costs a few seconds. Timestamps are SOURCE_DATE_EPOCH, or the
# last commit's time, so the same inputs give the same layer digests.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
cache_root=${FERROLB_CACHE:-${HOME}/.cache/ferrolb}/images
out=${FERROLB_IMAGES_OUT:-$root/target/images}
# Bumped when the way a layer is made changes, so that cached layers are not reused.
recipe=1

log() { printf '[images] %s\n' "$*" >&2; }
die() { printf '[images] %s\n' "$*" >&2; exit 1; }

skip_maven=false
names=()
for arg in "$@"; do
    case $arg in
        --skip-maven) skip_maven=true ;;
        controller|speaker) names+=("$arg") ;;
        *) die "unknown argument '$arg' (--skip-maven, controller, speaker)" ;;
    esac
done
((${#names[@]} > 0)) || names=(controller speaker)

# shellcheck source=images.env
source "$here/images.env"
# shellcheck source=oci.sh
source "$here/oci.sh"

for tool in apt-get apt-cache dpkg-deb jlink tar gzip sha256sum jq; do
    command -v "$tool" >/dev/null || die "missing $tool (tools/system-packages.sh installs what the images need; jlink: a JDK 17)"
done
host_suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[[ $host_suite == "$suite" ]] \
    || die "the packages are resolved with this machine's apt, which must be Debian $suite (this is '${host_suite:-unknown}')"
arch=$(dpkg --print-architecture)
[[ $arch == amd64 ]] || die "only amd64 images are built (this machine is $arch)"

version=$(sed -n 's:^    <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
[[ -n $version ]] || die "cannot read the project version from pom.xml"
# File times: the packages' and the runtime's layers are the same whatever the commit, so they
# keep their cached digests across commits; the application layer and the config take the commit's.
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)}
base_epoch=${SOURCE_DATE_EPOCH:-946684800}

mkdir -p "$cache_root/debs" "$cache_root/layers" "$out"
work=$(mktemp -d "$cache_root/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- packages -----------------------------------------------------------------------------------

# Candidate versions: "name<TAB>version<TAB>architecture<TAB>depends, pre-depends" for each of the
# packages named that apt knows as a real package (virtual ones print nothing). One apt-cache call:
# each costs about a second here.
stanzas() {
    apt-cache show --no-all-versions "$@" 2>/dev/null | awk '
        function flush() { if (p != "") print p "\t" v "\t" a "\t" d; p = v = a = d = "" }
        /^Package: / { p = $2 }
        /^Version: / { v = $2 }
        /^Architecture: / { a = $2 }
        /^(Pre-)?Depends: / { sub(/^[^:]*: /, ""); d = (d == "" ? $0 : d ", " $0) }
        /^$/ { flush() }
        END { flush() }'
}

declare -A versions=() depends=()
# Learns the candidate version and dependencies of the packages named.
learn() {
    local n v a d
    while IFS=$'\t' read -r n v a d; do
        versions[$n]=$v
        depends[$n]=$d
    done < <(stanzas "$@")
}

# Prints package=version for the packages named and everything they depend on (Depends,
# Pre-Depends; of alternatives, the first real package), sorted, skipping the packages of the set
# named by $1 (a variable holding space-separated names) and what only they need. Level by level,
# one apt-cache call a level.
closure() {
    local -n skipped=$1
    shift
    local -A seen=()
    local todo=("$@") next unknown p group alt alts name
    for p in $skipped; do seen[$p]=skip; done
    learn "${todo[@]}"
    while ((${#todo[@]} > 0)); do
        # The dependency groups of this level's new packages, and the names apt was not asked yet.
        local groups=() unknown=()
        for p in "${todo[@]}"; do
            [[ -z ${seen[$p]:-} ]] || continue
            [[ -n ${versions[$p]:-} ]] || die "no package $p in apt's lists (run apt-get update?)"
            seen[$p]=${versions[$p]}
            IFS=',' read -ra alts <<< "${depends[$p]}"
            for group in "${alts[@]}"; do
                group=$(sed 's/([^)]*)//g; s/:any//g; s/[[:space:]]//g' <<< "$group")
                [[ -n $group ]] || continue
                groups+=("$p:$group")
                IFS='|' read -ra names <<< "$group"
                for alt in "${names[@]}"; do
                    [[ -n ${seen[$alt]:-} || -n ${versions[$alt]+x} ]] || unknown+=("$alt")
                done
            done
        done
        if ((${#unknown[@]} > 0)); then
            learn "${unknown[@]}"
            for alt in "${unknown[@]}"; do [[ -n ${versions[$alt]+x} ]] || versions[$alt]=; done
        fi
        next=()
        for group in "${groups[@]}"; do
            IFS='|' read -ra names <<< "${group#*:}"
            name=
            for alt in "${names[@]}"; do
                if [[ -n ${seen[$alt]:-} ]]; then name=-; break; fi
                if [[ -n ${versions[$alt]:-} ]]; then name=$alt; break; fi
            done
            [[ -n $name ]] || die "${group%%:*}: no package satisfies '${group#*:}'"
            [[ $name == - ]] || next+=("$name")
        done
        todo=("${next[@]}")
    done
    for p in "${!seen[@]}"; do
        [[ ${seen[$p]} == skip ]] || echo "$p=${seen[$p]}"
    done | LC_ALL=C sort
}

# closure, remembered under the cache until apt's lists or the arguments change.
resolve() {
    local key file
    key=$( (echo "$*"; local -n s=$1; echo "$s"; ls -l --time-style=+%s /var/lib/apt/lists/ 2>/dev/null) \
        | sha256sum | cut -c1-16)
    file=$cache_root/resolved/$key
    if [[ ! -s $file ]]; then
        mkdir -p "$cache_root/resolved"
        closure "$@" > "$file.tmp"
        mv "$file.tmp" "$file"
    fi
    cat "$file"
}

# The cached .deb of package=version $1, downloaded when missing; prints its path.
deb() {
    local name=${1%%=*} ver=${1#*=} files
    files=("$cache_root/debs/${name}_${ver//:/%3a}_"*.deb)
    if [[ ! -s ${files[0]} ]]; then
        mkdir -p "$work/download"
        # As root, apt would hand the download to its _apt user, who cannot write the scratch dir.
        (cd "$work/download" && apt-get download -qq -o APT::Sandbox::User=root "$1" >&2) \
            || die "apt-get download $1 failed"
        files=("$work/download/"*.deb)
        mv "${files[0]}" "$cache_root/debs/"
        files=("$cache_root/debs/$(basename "${files[0]}")")
    fi
    echo "${files[0]}"
}

# Unpacks the packages of list $2 (package=version lines) into directory $1 and merges /bin, /sbin,
# /lib and /lib64 into /usr as bookworm's merged-/usr systems have them.
unpack() {
    local dir=$1 line d
    mkdir -p "$dir"
    while read -r line; do
        [[ -n $line ]] && dpkg-deb -x "$(deb "$line")" "$dir"
    done <<< "$2"
    for d in bin sbin lib lib64; do
        if [[ -d $dir/$d && ! -L $dir/$d ]]; then
            mkdir -p "$dir/usr/$d"
            cp -a "$dir/$d/." "$dir/usr/$d/"
            rm -rf "${dir:?}/$d"
        fi
    done
    # Documentation, manuals and translations: nothing in the image reads them.
    rm -rf "$dir/usr/share/doc" "$dir/usr/share/man" "$dir/usr/share/info" "$dir/usr/share/locale" \
        "$dir/usr/share/lintian" "$dir/usr/share/bug"
}

# --- layers -------------------------------------------------------------------------------------

# layer DIR DEST [MTIME]: oci_layer with the base layers' file time by default.
layer() {
    oci_layer "$1" "$2" "${3:-$base_epoch}"
}

# The base layer: base_packages and their closure, plus what dpkg's maintainer scripts would have
# made (the CA bundle, passwd and group with root and nobody, a /tmp).
base_list=$(resolve exclude_packages $base_packages)
base_key=$( (echo "recipe=$recipe epoch=$base_epoch"; echo "$base_list") | sha256sum | cut -c1-12)
base_layer=$cache_root/layers/base-$base_key
if [[ ! -s $base_layer/digest ]]; then
    log "base layer: $(wc -l <<< "$base_list") packages ($base_packages and their dependencies)"
    dir=$work/base
    unpack "$dir" "$base_list"
    mkdir -p "$dir/etc/ssl/certs" "$dir/tmp" "$dir/root" "$dir/nonexistent"
    chmod 1777 "$dir/tmp"
    chmod 700 "$dir/root"
    # What update-ca-certificates makes of the default configuration: every certificate shipped.
    find "$dir/usr/share/ca-certificates" -name '*.crt' | LC_ALL=C sort | xargs cat \
        > "$dir/etc/ssl/certs/ca-certificates.crt"
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' \
        > "$dir/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' > "$dir/etc/group"
    for d in bin sbin lib lib64; do ln -s "usr/$d" "$dir/$d"; done
    echo "$base_list" > "$dir/etc/ferrolb-packages"
    layer "$dir" "$base_layer"
    rm -rf "$dir"
fi

# The Java runtime layer: jlink of Debian's jmods (the JDK package's own, so that its native
# libraries are built for the base's libc), with this machine's jlink (same feature release).
learn "$jdk_package"
jdk=${versions[$jdk_package]:-}
[[ -n $jdk ]] || die "no package $jdk_package in apt's lists"
jlink_version=$(jlink --version)
[[ ${jlink_version%%.*} == 17 ]] || die "jlink $jlink_version: a JDK 17 is needed to link Debian's 17 jmods"
runtime_key=$( (echo "recipe=$recipe epoch=$base_epoch jdk=$jdk jlink=$jlink_version"; echo "$java_modules $jlink_options $java_home") \
    | sha256sum | cut -c1-12)
runtime_layer=$cache_root/layers/runtime-$runtime_key
if [[ ! -s $runtime_layer/digest ]]; then
    log "Java runtime layer: jlink $jlink_version of $jdk_package $jdk, modules $java_modules"
    dpkg-deb -x "$(deb "$jdk_package=$jdk")" "$work/jdk"
    jmods=$(find "$work/jdk" -name java.base.jmod -printf '%h\n' | head -n 1)
    [[ -n $jmods ]] || die "$jdk_package has no jmods"
    # shellcheck disable=SC2086
    jlink --module-path "$jmods" --add-modules "$java_modules" $jlink_options \
        --output "$work/runtime$java_home"
    "$work/runtime$java_home/bin/java" --list-modules | sed 's/@.*//' | paste -sd, - \
        | grep -qx "$java_modules" || die "the runtime's modules are not $java_modules"
    layer "$work/runtime" "$runtime_layer"
    rm -rf "$work/jdk" "$work/runtime"
fi

# --- images -------------------------------------------------------------------------------------

if ! $skip_maven; then
    modules=$(IFS=,; echo "${names[*]}")
    log "mvn -B -q -pl $modules -am package -DskipTests"
    (cd "$root" && mvn -B -q -pl "$modules" -am package -DskipTests >&2)
fi

for name in "${names[@]}"; do
    (
    # shellcheck source=controller.env
    source "$here/$name.env"
    jar_file=$root/$module/target/ferrolb-$module-$version.jar
    [[ -f $jar_file && -d $root/$module/target/lib ]] \
        || die "no $jar_file with its lib/: build it (without --skip-maven, or mvn package)"

    layers=("$base_layer" "$runtime_layer")
    if [[ -n $packages ]]; then
        # The image's own packages, without those of the base layer and what only they need.
        in_base="$exclude_packages $(sed 's/=.*//' <<< "$base_list" | paste -sd' ' -)"
        list=$(resolve in_base $packages)
        key=$( (echo "recipe=$recipe epoch=$base_epoch links=$links"; echo "$list") | sha256sum | cut -c1-12)
        packages_layer=$cache_root/layers/packages-$key
        if [[ ! -s $packages_layer/digest ]]; then
            log "$name packages layer: $(wc -l <<< "$list") packages ($packages and their dependencies)"
            dir=$work/$name-packages
            unpack "$dir" "$list"
            mkdir -p "$dir/etc"
            echo "$list" > "$dir/etc/ferrolb-packages-$name"
            for link in $links; do
                [[ -e $dir/$(dirname "${link%%=*}")/${link#*=} ]] || die "$name: link ${link%%=*} to a missing ${link#*=}"
                ln -s "${link#*=}" "$dir${link%%=*}"
            done
            layer "$dir" "$packages_layer"
            rm -rf "$dir"
        fi
        layers+=("$packages_layer")
    fi

    # The application layer: the jar (its manifest names lib/<jar> next to it) and lib/.
    dir=$work/$name-app
    mkdir -p "$dir$app_dir"
    cp "$jar_file" "$dir$app_dir/$jar"
    cp -r "$root/$module/target/lib" "$dir$app_dir/lib"
    layer "$dir" "$work/$name-app-layer" "$epoch"
    rm -rf "$dir"
    layers+=("$work/$name-app-layer")

    image_config=$(jq -cn --arg java_home "$java_home" --arg user "$user" --arg ports "$ports" \
        --argjson entrypoint "$entrypoint" '{
            Env: ["PATH=\($java_home)/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "JAVA_HOME=\($java_home)"],
            Entrypoint: $entrypoint,
            ExposedPorts: ($ports | split(" ") | map(select(. != "")) | map({(.): {}}) | add),
            WorkingDir: "/"
        } + (if $user == "" then {} else {User: $user} end)')
    archive=$out/$name-$version.oci.tar
    manifest_digest=$(oci_archive "$archive" "$image" "$version" "$epoch" "$image_config" "${layers[@]}")
    files=0
    for l in "${layers[@]}"; do files=$((files + $(cat "$l/files_bytes"))); done
    rm -rf "$work/$name-app-layer"
    log "$image:$version -> $archive ($(( $(stat -c %s "$archive") / 1000000 )) MB archive," \
        "$((files / 1000000)) MB of files, manifest sha256:${manifest_digest:0:12})"
    )
done

echo "$out"
