# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by the workflow tests: source it, don't run it.
#   MODULE must be set to the rolecert.so under test before calling guard_block.

OPENSSL=${OPENSSL:-openssl}
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

# The activation block as docs/provider.md shows it, then extra lines for
# the provider's own section (e.g. "prehashed = refuse").
guard_block() {
    cat <<EOC
openssl_conf = openssl_init

[openssl_init]
providers = provider_sect
alg_section = algorithm_sect

[provider_sect]
default = default_sect
rolecert = rolecert_sect

[default_sect]
activate = 1

[algorithm_sect]
default_properties = ?rolecert.enforce=yes, ?rolecert.keymgmt=no

[rolecert_sect]
module = $MODULE
activate = 1
EOC
    local line
    for line in "$@"; do echo "$line"; done
}

newkey() { # FILE rsa|ec|ed25519
    case $2 in
    rsa) $OPENSSL genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    ec) $OPENSSL genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
    ed25519) $OPENSSL genpkey -algorithm ED25519 -out "$1" ;;
    esac
}

# A CA certificate made without the provider (CA certificates are skipped anyway).
make_test_ca() { # KEY CERT
    newkey "$1" ec
    $OPENSSL req -config /dev/null -x509 -new -key "$1" -subj "/C=US/O=Contoso/CN=Contoso Test CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -days 30 -out "$2" 2>/dev/null
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures failure(s)" >&2
        exit 1
    fi
    echo "all passed"
}
