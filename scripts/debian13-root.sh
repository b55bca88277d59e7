#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs rolecert's suite on Debian 13 "trixie" (OpenSSL 3.5) from a Debian 12
# (or any Debian) machine, as root, from the repository root:
#   bash scripts/debian13-root.sh                          # bash scripts/test.sh in the root
#   bash scripts/debian13-root.sh bash scripts/ci-package.sh
#   bash scripts/debian13-root.sh bash                     # a shell in the root's copy
# The first run makes a trixie root with debootstrap from Debian's registry
# (about 3 minutes, 1.7 GB) in ROLECERT_TRIXIE_ROOT (default
# /var/tmp/rolecert-trixie); later runs reuse it (a stamp file marks a
# finished root). rolecert's packages are installed inside it by scripts/lib.sh,
# as the README's commands do on a fresh machine. The repository's files
# (tracked and untracked, not ignored ones such as build/) are copied to
# /src/rolecert in the root, the command runs there with proc and dev mounted,
# and they are unmounted again on exit.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$repo_root/scripts/lib.sh"

root=${ROLECERT_TRIXIE_ROOT:-/var/tmp/rolecert-trixie}
mirror=${ROLECERT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
stamp=$root/.rolecert-root-made
# What debootstrap puts in; the rest comes from scripts/lib.sh inside the root.
bootstrap_packages=ca-certificates,git
copy_dir=/src/rolecert

if ((EUID != 0)); then
  rolecert_log "debian13-root: must run as root (debootstrap, mount, chroot)"
  exit 1
fi
root=${root%/}
if [[ $root != /?* ]]; then
  rolecert_log "debian13-root: ROLECERT_TRIXIE_ROOT must be an absolute path other than /, not '$root'"
  exit 1
fi
(($# > 0)) || set -- bash scripts/test.sh

# One run at a time per root: a second one would unmount under the first.
exec 9>"$root.lock"
if ! flock -n 9; then
  rolecert_log "debian13-root: waiting for another run on $root"
  flock 9
fi

mounted=()
unmount_all() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" || umount -l "${mounted[i]}" || true
  done
  mounted=()
}
trap unmount_all EXIT
trap 'exit 130' INT TERM

# Mounts only what is not mounted yet, and remembers it for unmount_all.
mount_in_root() { # TARGET MOUNT-ARGS...
  local target=$root/$1
  shift
  mountpoint -q "$target" && return 0
  mount "$@" "$target"
  mounted+=("$target")
}

in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive CI="${CI:-}" "$@"
}

if [[ ! -f $stamp ]]; then
  if ! command -v debootstrap >/dev/null 2>&1; then
    rolecert_log "debian13-root: apt-get install debootstrap"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
  fi
  # A root without the stamp is a run that died half-way: start again. Never
  # delete through a mount that is still there.
  for m in proc dev/pts dev; do
    if mountpoint -q "$root/$m"; then
      rolecert_log "debian13-root: $root/$m is mounted by someone else; unmount it first"
      exit 1
    fi
  done
  rm -rf --one-file-system "$root"
  rolecert_log "debian13-root: debootstrap trixie into $root (from $mirror)"
  start=$(date +%s)
  debootstrap --variant=minbase --include="$bootstrap_packages" trixie "$root" "$mirror"
  cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror trixie main
deb $mirror trixie-updates main
deb http://deb.debian.org/debian-security trixie-security main
EOF
  rolecert_log "debian13-root: debootstrap done in $(($(date +%s) - start)) s"
  touch "$stamp"
fi

mount_in_root proc -t proc proc
mount_in_root dev --bind /dev
mount_in_root dev/pts --bind /dev/pts
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

rolecert_log "debian13-root: copying $repo_root to $root$copy_dir"
rm -rf "$root$copy_dir"
mkdir -p "$root$copy_dir"
if git -C "$repo_root" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$repo_root" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 -r stat --printf '%n\0' 2>/dev/null | tar --null -T - -cf -) |
    tar -C "$root$copy_dir" -xf -
else
  tar -C "$repo_root" --exclude=./build --exclude='./build-*' -cf - . | tar -C "$root$copy_dir" -xf -
fi

# The same machinery as on the host: scripts/lib.sh picks the package list
# for the release it finds in the root's /etc/os-release.
rolecert_log "debian13-root: rolecert's packages (scripts/lib.sh)"
in_root bash -c "cd $copy_dir && source scripts/lib.sh && rolecert_install_deps" || {
  # A package left unconfigured (python3-cryptography's dependencies once
  # were) is finished by apt-get -f install; then try again.
  in_root apt-get -f install -y
  in_root bash -c "cd $copy_dir && source scripts/lib.sh && rolecert_install_deps"
}
in_root bash -c 'printf "debian13-root: Debian %s, %s, python3-cryptography %s\n" \
  "$(cat /etc/debian_version)" "$(openssl version)" \
  "$(python3 -c "import cryptography; print(cryptography.__version__)")"' >&2

rolecert_log "debian13-root: $*"
in_root bash -c 'cd "$0" && exec "$@"' "$copy_dir" "$@"
