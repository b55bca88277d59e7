# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by quickstart.sh and test.sh: source it, don't run it.

# The one list of Debian 12 packages rolecert needs to build, run and test.
# Add new dependencies here only.
ROLECERT_DEBIAN_PACKAGES=(
  cmake gcc make pkg-config
  libssl-dev libinih-dev libidn2-dev libpsl-dev publicsuffix
  openssl gnutls-bin python3 python3-cryptography
  iso-codes ca-certificates
  python3-cryptography-vectors valgrind
  scdoc dpkg-dev file man-db bash-completion
  easy-rsa
  clang libclang-rt-14-dev util-linux
)

rolecert_log() {
  printf '==> %s\n' "$*" >&2
}

# Names of the listed packages that dpkg does not report as installed.
rolecert_missing_packages() {
  local pkg status
  for pkg in "${ROLECERT_DEBIAN_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "installed" ]]; then
      printf '%s\n' "$pkg"
    fi
  done
}

# Installs what is missing. When everything is present nothing is touched, so
# the scripts also run without root or network on a prepared machine.
rolecert_install_deps() {
  local -a missing
  if ! command -v dpkg-query >/dev/null 2>&1; then
    rolecert_log "dpkg-query not found: not a Debian system, skipping package installation"
    return 0
  fi
  mapfile -t missing < <(rolecert_missing_packages)
  if ((${#missing[@]} == 0)); then
    rolecert_log "all ${#ROLECERT_DEBIAN_PACKAGES[@]} Debian packages already installed"
    return 0
  fi
  rolecert_log "installing: ${missing[*]}"
  local -a sudo_cmd=()
  if ((EUID != 0)); then
    if command -v sudo >/dev/null 2>&1; then
      sudo_cmd=(sudo)
    else
      rolecert_log "not root and no sudo: install these packages first: ${missing[*]}"
      return 1
    fi
  fi
  "${sudo_cmd[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends \
    "${missing[@]}"
}

# Configures and builds into build/ (re-running only rebuilds what changed).
rolecert_build() {
  local repo_root=$1
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  cmake -S "$repo_root" -B "$repo_root/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cmake --build "$repo_root/build" -j "$jobs"
}
