# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by quickstart.sh and test.sh: source it, don't run it.

# The Debian release this runs on (bookworm = 12, trixie = 13), from
# /etc/os-release; ROLECERT_DEBIAN_CODENAME overrides it.
rolecert_debian_codename() {
  if [[ -n ${ROLECERT_DEBIAN_CODENAME:-} ]]; then
    printf '%s\n' "$ROLECERT_DEBIAN_CODENAME"
  elif [[ -r /etc/os-release ]]; then
    (. /etc/os-release && printf '%s\n' "${VERSION_CODENAME:-}")
  fi
}

# The one list of Debian packages rolecert needs to build, run and test.
# Add new dependencies here only. What differs between releases is in the
# case below and nowhere else; ROLECERT_T64_PACKAGES are the runtime library
# packages whose names changed with Debian 13's 64-bit time_t transition, as
# the .deb must depend on them (dpkg-shlibdeps finds them).
ROLECERT_DEBIAN_PACKAGES=(
  cmake gcc make pkg-config
  libssl-dev libinih-dev libidn2-dev libpsl-dev publicsuffix
  openssl gnutls-bin python3 python3-cryptography
  iso-codes ca-certificates
  python3-cryptography-vectors valgrind
  scdoc dpkg-dev file man-db bash-completion
  easy-rsa
  clang util-linux
)
# shellcheck disable=SC2034 # ROLECERT_T64_PACKAGES is for tests/install/test_deb.sh
case $(rolecert_debian_codename) in
  trixie)
    # OpenSSL 3.5 (64-bit time_t transition: libssl3t64), clang 19; the
    # PKCS#11 provider, SoftHSM2 and OpenSSL's FIPS provider exist from
    # Debian 13 on.
    ROLECERT_DEBIAN_PACKAGES+=(libclang-rt-19-dev pkcs11-provider softhsm2 openssl-provider-fips)
    ROLECERT_T64_PACKAGES=(libpsl5t64 libssl3t64)
    ;;
  *)
    # Debian 12 bookworm: OpenSSL 3.0, clang 14. ansible (7.7, with
    # community.crypto 2.14) for tests/workflows/ansible_ownca_test.sh:
    # 17 MB, installed in about a minute. tpm2-openssl, the swtpm
    # simulator and tpm2-tools for tests/provider/tpm_test.sh (17 MB
    # installed, 11 of them udev, which tpm-udev pulls in).
    ROLECERT_DEBIAN_PACKAGES+=(libclang-rt-14-dev ansible tpm2-openssl swtpm tpm2-tools)
    ROLECERT_T64_PACKAGES=(libpsl5 libssl3)
    ;;
esac

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
