#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A small CA with rolecert, walked through (see README.md next to this file).
#
#   small-ca.sh WORKDIR
#
# Makes a root CA and an issuing CA with `openssl ca`, turns rolecert on in
# the issuing CA's config with permitted_domains for the organisation's
# domains, issues a server certificate from a `rolecert conf` request, shows
# a bad request being refused, and bundles the result with `rolecert import`.
#
# Environment (defaults for an installed system):
#   ROLECERT         the rolecert command                 (rolecert)
#   ROLECERT_MODULE  the provider module                  (<openssl modules dir>/rolecert.so)
#   OPENSSL          the openssl command                  (openssl)
#   ORG_DOMAINS      the organisation's domains           (contoso.com, fabrikam.com)
#
# Exit status: 0 the walk-through went as described; 1 something did not
# (e.g. the bad request was signed); 2 usage error.
set -euo pipefail

usage() {
    echo "usage: $0 WORKDIR   (a new or empty directory)" >&2
    exit 2
}
[ $# -eq 1 ] || usage
case $1 in -h | --help) usage ;; esac

OPENSSL=${OPENSSL:-openssl}
ROLECERT=${ROLECERT:-rolecert}
if [ -z "${ROLECERT_MODULE:-}" ]; then
    modules_dir=$("$OPENSSL" version -m | sed -n 's/^MODULESDIR: "\(.*\)"$/\1/p')
    ROLECERT_MODULE=$modules_dir/rolecert.so
fi
ORG_DOMAINS=${ORG_DOMAINS:-contoso.com, fabrikam.com}

[ -f "$ROLECERT_MODULE" ] || {
    echo "$0: no rolecert provider at $ROLECERT_MODULE (install rolecert, or set ROLECERT_MODULE)" >&2
    exit 2
}
command -v "$ROLECERT" >/dev/null || {
    echo "$0: no rolecert command '$ROLECERT' (install rolecert, or set ROLECERT)" >&2
    exit 2
}
ROLECERT_MODULE=$(readlink -f "$ROLECERT_MODULE")
case $ROLECERT in */*) ROLECERT=$(readlink -f "$ROLECERT") ;; esac

mkdir -p "$1"
WORK=$(readlink -f "$1")
[ -z "$(ls -A "$WORK")" ] || {
    echo "$0: $WORK is not empty" >&2
    exit 2
}
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES

step() { printf '\n==> %s\n' "$*"; }
show() { # print a command, then run it
    printf '$ %s\n' "$*"
    "$@"
}
die() {
    echo "$0: $*" >&2
    exit 1
}
quiet() { # like show, but openssl's chatter on standard error only on failure
    printf '$ %s\n' "$*"
    "$@" 2>"$WORK/last.log" || {
        cat "$WORK/last.log" >&2
        die "failed: $*"
    }
}

# ---------------------------------------------------------------------------
step "1. Root CA (root/): key, self-signed with openssl ca -selfsign"
# Every CA keeps its database in its own directory.
ca_dir() { # DIR
    mkdir -p "$1/private" "$1/newcerts"
    chmod 700 "$1/private"
    : >"$1/index.txt"
    echo 1000 >"$1/serial"
}
ca_dir root
ca_dir issuing
cat >root/root-ca.cnf <<EOF
# The root CA: signs only the issuing CA.
[ca]
default_ca = root_ca

[root_ca]
dir = $WORK/root
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir/newcerts
certificate = \$dir/ca.crt
private_key = \$dir/private/ca.key
default_md = sha256
default_days = 3650
policy = match_org
unique_subject = no
email_in_dn = no

[match_org]
countryName = match
organizationName = match
commonName = supplied

[req]
prompt = no
distinguished_name = root_dn

[root_dn]
C = US
O = Contoso
CN = Contoso Root CA

[root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[issuing_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
show "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out root/private/ca.key
show "$OPENSSL" req -new -config root/root-ca.cnf -key root/private/ca.key -out root/ca.csr
quiet "$OPENSSL" ca -batch -selfsign -config root/root-ca.cnf -extensions root_ext -days 3650 \
    -in root/ca.csr -out root/ca.crt

# ---------------------------------------------------------------------------
step "2. Issuing CA (issuing/): its request, signed by the root with openssl ca"
cat >issuing/issuing-ca.cnf <<EOF
# The issuing CA: signs server certificates.
[ca]
default_ca = issuing_ca

[issuing_ca]
dir = $WORK/issuing
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir/newcerts
certificate = \$dir/ca.crt
private_key = \$dir/private/ca.key
default_md = sha256
default_days = 397
policy = any_server
unique_subject = no
email_in_dn = no
# The request's subjectAltName comes into the certificate; server_ext
# below fixes basicConstraints, keyUsage and extendedKeyUsage.
copy_extensions = copy
x509_extensions = server_ext

[any_server]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied

[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[req]
prompt = no
distinguished_name = issuing_dn

[issuing_dn]
C = US
O = Contoso
CN = Contoso Issuing CA 1
EOF
show "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out issuing/private/ca.key
show "$OPENSSL" req -new -config issuing/issuing-ca.cnf -key issuing/private/ca.key -out issuing/ca.csr
quiet "$OPENSSL" ca -batch -config root/root-ca.cnf -extensions issuing_ext -days 1825 \
    -in issuing/ca.csr -out issuing/ca.crt
show "$OPENSSL" verify -CAfile root/ca.crt issuing/ca.crt

# ---------------------------------------------------------------------------
step "3. Turn rolecert on for the issuing CA, for the organisation's domains only"
# The activation block (docs/provider.md) in its own file, included as the
# first line of the CA's config: openssl_conf must be in the default section.
cat >issuing/rolecert.cnf <<EOF
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
module = $ROLECERT_MODULE
activate = 1
permitted_domains = $ORG_DOMAINS
EOF
sed -i "1i .include $WORK/issuing/rolecert.cnf" issuing/issuing-ca.cnf
echo "issuing/issuing-ca.cnf now starts with: $(head -1 issuing/issuing-ca.cnf)"
sed -n '/^\[rolecert_sect\]/,$p' issuing/rolecert.cnf

# ---------------------------------------------------------------------------
step "4. A server's request, from a role profile (server/mail1.ini)"
mkdir -p server
cat >server/mail1.ini <<'EOF'
; Edge Transport server mail1.contoso.com
[role]
type = edge
fqdn = mail1.contoso.com
accepted_domains = contoso.com, fabrikam.com
connector_fqdn = mail.contoso.com

[subject]
name = C=US, O=Contoso, CN=mail1.contoso.com

[key]
type = ec
curve = P-256
EOF
cd server
# --enforce: the request itself is made with rolecert active too.
printf '$ %s\n' "$ROLECERT conf mail1.ini --enforce --module $ROLECERT_MODULE -o mail1.cnf"
req_command=$("$ROLECERT" conf mail1.ini --enforce --module "$ROLECERT_MODULE" -o mail1.cnf)
echo "$req_command"
# Run the command rolecert printed (with $OPENSSL for its first word).
read -r -a req_words <<<"$req_command"
[ "${req_words[0]} ${req_words[1]}" = "openssl req" ] || die "unexpected command from rolecert conf: $req_command"
quiet "$OPENSSL" "${req_words[@]:1}"
cd "$WORK"

# ---------------------------------------------------------------------------
step "5. The issuing CA signs it (rolecert checks the certificate's names)"
quiet "$OPENSSL" ca -batch -config issuing/issuing-ca.cnf -in server/mail1.req -out server/mail1.crt
show "$OPENSSL" x509 -in server/mail1.crt -noout -subject -ext subjectAltName -nameopt RFC2253,-esc_msb
show "$OPENSSL" verify -CAfile root/ca.crt -untrusted issuing/ca.crt server/mail1.crt

# ---------------------------------------------------------------------------
step "6. A request with a name outside the organisation's domains is refused"
# Someone else's request, made by hand without rolecert.
mkdir -p other
quiet "$OPENSSL" req -new -config /dev/null -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc \
    -keyout other/web.key -subj "/C=US/O=Contoso/CN=web.contoso.com" \
    -addext "subjectAltName=DNS:web.contoso.com,DNS:www.woodgrovebank.com" -out other/web.req
index_before=$(sha256sum issuing/index.txt issuing/serial)
printf '$ %s\n' "$OPENSSL ca -batch -config issuing/issuing-ca.cnf -in other/web.req -out other/web.crt"
if "$OPENSSL" ca -batch -config issuing/issuing-ca.cnf -in other/web.req -out other/web.crt 2>other/refused.log; then
    die "the bad request was signed: is rolecert active in issuing/issuing-ca.cnf?"
fi
grep 'rolecert' other/refused.log
grep -qF "error[domain-not-permitted] DNS name 'www.woodgrovebank.com'" other/refused.log ||
    die "refused, but not for the expected reason (see $WORK/other/refused.log)"
[ "$index_before" = "$(sha256sum issuing/index.txt issuing/serial)" ] || die "the CA database changed"
rm -f other/web.crt # openssl ca may leave an empty file behind
echo "openssl ca exit status 1; issuing/index.txt and serial unchanged:"
cat issuing/index.txt

# ---------------------------------------------------------------------------
step "7. rolecert import: the certificate and its chain -> one PEM bundle for the server"
cat server/mail1.crt issuing/ca.crt root/ca.crt >server/mail1-from-ca.pem
show "$ROLECERT" import server/mail1-from-ca.pem --key server/mail1.key --profile server/mail1.ini \
    -o server/mail1-bundle.pem --services smtp,https

rm -f "$WORK/last.log"
step "Done. Files in $WORK:"
echo "  root/ca.crt                 the root CA certificate (distribute as the trust anchor)"
echo "  issuing/ca.crt              the issuing CA certificate"
echo "  issuing/issuing-ca.cnf      the issuing CA's config, with rolecert included"
echo "  server/mail1.key            the server's private key"
echo "  server/mail1-bundle.pem     the server certificate, then the issuing and root CA"
