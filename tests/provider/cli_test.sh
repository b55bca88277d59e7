#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The provider inside the stock openssl CLI.
#   cli_test.sh MODULE_DIR CASE
# CASE: refuse good ca keytypes passthrough failclosed audit prehashed algorithms pqc narrow layered
# Exit 77 (skipped) only when the OpenSSL in use lacks what a case tests.
set -euo pipefail

MODULE_DIR=$(readlink -f "$1")
CASE=$2
SCRIPT_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
MODULE=$MODULE_DIR/rolecert.so
[ -f "$MODULE" ] || { echo "no module at $MODULE" >&2; exit 1; }
OPENSSL=${OPENSSL:-openssl}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

# guard_cnf FILE [provider-section lines...]: the activation block, written by
# hand the way an administrator would, plus a [req] for a request.
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
    for line in "$@"; do echo "$line"; done
}

# req_block CN SAN...: a [req] making a CSR/certificate with those names.
req_block() {
    local cn=$1
    shift
    cat <<EOC

[req]
prompt = no
utf8 = yes
string_mask = utf8only
default_md = sha256
distinguished_name = req_dn
req_extensions = req_ext
x509_extensions = req_ext

[req_dn]
C = US
O = Contoso
CN = $cn

[req_ext]
subjectAltName = @req_san

[req_san]
EOC
    local i=0 dns
    for dns in "$@"; do
        echo "DNS.$i = \"$dns\""
        i=$((i + 1))
    done
}

plain_openssl_cnf() { # no provider: for making CAs and bad CSRs
    echo "# no provider"
    req_block "$@"
}

# expect_refused WHAT RULE NAME -- command...
expect_refused() {
    local what=$1 rule=$2 name=$3 out=$4
    shift 5
    rm -f "$out"
    if "$@" >stdout.txt 2>stderr.txt; then
        fail "$what: signed, expected a refusal"
        return
    fi
    if ! grep -q "rolecert" stderr.txt || ! grep -q "certificate name policy violation" stderr.txt ||
        ! grep -qF "error[$rule]" stderr.txt || ! grep -qF "'$name'" stderr.txt; then
        fail "$what: refusal does not name rule $rule and '$name'"
        cat stderr.txt >&2
        return
    fi
    if [ -s "$out" ]; then
        fail "$what: output file $out left behind"
        return
    fi
    pass "$what refused: $(grep -o "error\[$rule\][^;]*" stderr.txt | head -1)"
}

# expect_refused_saying WHAT PATTERN OUT -- command...: refused, stderr
# matching PATTERN (grep -E), nothing written to OUT.
expect_refused_saying() {
    local what=$1 pattern=$2 out=$3
    shift 4
    rm -f "$out"
    if "$@" >stdout.txt 2>stderr.txt; then
        fail "$what: signed, expected a refusal"
    elif grep -qE "$pattern" stderr.txt && [ ! -s "$out" ]; then
        pass "$what: refused ($(grep -oE "$pattern" stderr.txt | head -1))"
    else
        fail "$what: wrong refusal"
        cat stderr.txt >&2
    fi
}

expect_signed() {
    local what=$1 out=$2
    shift 3
    rm -f "$out"
    if ! "$@" >stdout.txt 2>stderr.txt; then
        fail "$what: refused, expected it to sign"
        cat stderr.txt >&2
        return 1
    fi
    [ -s "$out" ] || { fail "$what: no output"; return 1; }
    pass "$what signed"
}

newkey() { # FILE TYPE
    case $2 in
    rsa) $OPENSSL genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    rsa-pss) $OPENSSL genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
    ec) $OPENSSL genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
    ed25519) $OPENSSL genpkey -algorithm ED25519 -out "$1" ;;
    ed448) $OPENSSL genpkey -algorithm ED448 -out "$1" ;;
    sm2) $OPENSSL genpkey -algorithm SM2 -out "$1" ;;
    ML-DSA-* | SLH-DSA-*) $OPENSSL genpkey -algorithm "$2" -out "$1" ;;
    dsa)
        $OPENSSL genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out dsa.param 2>/dev/null
        $OPENSSL genpkey -paramfile dsa.param -out "$1"
        ;;
    esac
}

case_refuse() {
    newkey key.pem ec
    # rule | offending name | CN | SAN names | extra config line | relaxed config line
    # ("fixed" when the rule cannot be turned off: then saying so must fail closed)
    local -a bad=(
        "dns-syntax|bad_name.contoso.com|mail.contoso.com|mail.contoso.com bad_name.contoso.com||fixed"
        "dns-wildcard|*.com|mail.contoso.com|mail.contoso.com *.com||fixed"
        "cn-homoglyph|mail.mïcrosoft.com|mail.mïcrosoft.com|mail.contoso.com|cn-homoglyph = error|cn-homoglyph = off"
        "domain-not-permitted|mail.woodgrovebank.com|mail.contoso.com|mail.contoso.com mail.woodgrovebank.com|permitted_domains = contoso.com, fabrikam.com|permitted_domains = contoso.com, fabrikam.com, woodgrovebank.com"
        "dns-internal|owa1|mail.contoso.com|mail.contoso.com owa1|dns-internal = error|dns-internal = off"
    )
    local entry rule bad_name cn sans extra relaxed
    for entry in "${bad[@]}"; do
        IFS='|' read -r rule bad_name cn sans extra relaxed <<<"$entry"
        {
            guard_block "$extra"
            # shellcheck disable=SC2086
            req_block "$cn" $sans
        } >bad.cnf
        expect_refused "req -new [$rule]" "$rule" "$bad_name" out.pem -- \
            $OPENSSL req -config bad.cnf -new -key key.pem -out out.pem
        expect_refused "req -x509 [$rule]" "$rule" "$bad_name" out.pem -- \
            $OPENSSL req -config bad.cnf -x509 -new -key key.pem -out out.pem
        if [ "$relaxed" = fixed ]; then
            # Not configurable: "off" is a config error and nothing signs.
            { guard_block "$rule = off"; req_block "$cn" $sans; } >off.cnf
            rm -f out.pem
            if $OPENSSL req -config off.cnf -new -key key.pem -out out.pem 2>stderr.txt ||
                ! grep -qF "$rule = 'off'" stderr.txt || [ -e out.pem ]; then
                fail "$rule = off: expected a config refusal"
            else
                pass "$rule = off: refused, the rule is fixed"
            fi
            continue
        fi
        {
            guard_block "$relaxed"
            # shellcheck disable=SC2086
            req_block "$cn" $sans
        } >off.cnf
        expect_signed "req -new [$relaxed]" out.pem -- \
            $OPENSSL req -config off.cnf -new -key key.pem -out out.pem || true
        expect_signed "req -x509 [$relaxed]" out.pem -- \
            $OPENSSL req -config off.cnf -x509 -new -key key.pem -out out.pem || true
    done
}

case_good() {
    { guard_block; req_block mail.contoso.com mail.contoso.com contoso.com autodiscover.contoso.com; } >good.cnf
    for kt in rsa ec ed25519; do
        newkey key.pem $kt
        if expect_signed "good req -new ($kt)" req.pem -- $OPENSSL req -config good.cnf -new -key key.pem -out req.pem; then
            $OPENSSL req -config good.cnf -verify -in req.pem -noout >/dev/null 2>&1 &&
                pass "req -verify ($kt)" || fail "req -verify ($kt)"
        fi
        if expect_signed "good req -x509 ($kt)" crt.pem -- $OPENSSL req -config good.cnf -x509 -new -key key.pem -out crt.pem; then
            OPENSSL_CONF=good.cnf $OPENSSL verify -CAfile crt.pem crt.pem >/dev/null 2>&1 &&
                pass "verify ($kt)" || fail "verify ($kt)"
            # An independent reader agrees on the names.
            if command -v certtool >/dev/null; then
                env -u LD_PRELOAD certtool -i --infile crt.pem >certtool.txt 2>&1 </dev/null || true
                grep -q "DNSname: autodiscover.contoso.com" certtool.txt &&
                    pass "certtool reads the SAN ($kt)" || fail "certtool SAN ($kt)"
            fi
        fi
    done
}

make_ca() { # [TYPE] without the provider: a CA's own name is not a server name
    newkey ca.key "${1:-ec}"
    $OPENSSL req -config /dev/null -x509 -new -key ca.key -subj "/C=US/O=Contoso/CN=Contoso Test CA" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -days 30 -out ca.pem 2>/dev/null
}

# write_ca_cnf: an `openssl ca` config (with the guard) over a fresh db/
# for ca.pem / ca.key.
write_ca_cnf() {
    mkdir -p db/new
    : >db/index.txt
    echo 01 >db/serial
    echo 01 >db/crlnumber
    guard_block
    cat <<EOC

[ca]
default_ca = test_ca

[test_ca]
dir = $WORK/db
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
certificate = $WORK/ca.pem
private_key = $WORK/ca.key
default_md = ${CA_MD:-sha256}
default_days = 30
default_crl_days = 7
policy = any_policy
copy_extensions = copy
unique_subject = no

[any_policy]
countryName = optional
organizationName = optional
commonName = supplied
EOC
}

case_ca() {
    make_ca
    newkey leaf.key ec
    plain_openssl_cnf mail.contoso.com mail.contoso.com bad_name.contoso.com >badreq.cnf
    plain_openssl_cnf mail.contoso.com mail.contoso.com contoso.com >goodreq.cnf
    $OPENSSL req -config badreq.cnf -new -key leaf.key -out bad.csr
    $OPENSSL req -config goodreq.cnf -new -key leaf.key -out good.csr
    guard_block >guard.cnf

    export OPENSSL_CONF=$WORK/guard.cnf
    expect_refused "x509 -req -CA (bad CSR)" dns-syntax bad_name.contoso.com x509out.pem -- \
        $OPENSSL x509 -req -in bad.csr -CA ca.pem -CAkey ca.key -CAcreateserial -copy_extensions copy -days 30 -out x509out.pem
    expect_signed "x509 -req -CA (good CSR)" x509out.pem -- \
        $OPENSSL x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -copy_extensions copy -days 30 -out x509out.pem &&
        { $OPENSSL verify -CAfile ca.pem x509out.pem >/dev/null 2>&1 && pass "x509 -req result verifies" || fail "x509 -req result does not verify"; }

    write_ca_cnf >ca.cnf
    local before
    before=$(sha256sum db/index.txt db/serial)
    expect_refused "ca (bad CSR)" dns-syntax bad_name.contoso.com caout.pem -- \
        $OPENSSL ca -batch -config ca.cnf -in bad.csr -out caout.pem
    [ "$before" = "$(sha256sum db/index.txt db/serial)" ] && pass "ca database unchanged" ||
        fail "ca database changed after a refusal"
    expect_signed "ca (good CSR)" caout.pem -- $OPENSSL ca -batch -config ca.cnf -in good.csr -out caout.pem &&
        { $OPENSSL verify -CAfile ca.pem caout.pem >/dev/null 2>&1 && pass "ca result verifies" || fail "ca result does not verify"; }
    [ "$(wc -l <db/index.txt)" = 1 ] && pass "ca database holds one certificate" || fail "ca database: $(cat db/index.txt)"
    unset OPENSSL_CONF
}

case_keytypes() {
    { guard_block; req_block mail.contoso.com mail.contoso.com "*.com"; } >bad.cnf
    { guard_block; req_block mail.contoso.com mail.contoso.com contoso.com; } >good.cnf
    local kt md
    for kt in rsa rsa-pss ec ed25519 ed448 dsa sm2; do
        newkey key.pem $kt
        md=-sha256
        [ $kt = sm2 ] && md=-sm3 # SM2 signs with SM3 only
        expect_refused "req -new ($kt)" dns-wildcard "*.com" out.pem -- \
            $OPENSSL req -config bad.cnf -new -key key.pem $md -out out.pem
        expect_refused "req -x509 ($kt)" dns-wildcard "*.com" out.pem -- \
            $OPENSSL req -config bad.cnf -x509 -new -key key.pem $md -out out.pem
        expect_signed "req -x509 good ($kt)" out.pem -- \
            $OPENSSL req -config good.cnf -x509 -new -key key.pem $md -out out.pem || true
    done
}

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case_passthrough() {
    { guard_block; req_block mail.contoso.com mail.contoso.com; } >guard.cnf
    export OPENSSL_CONF=$WORK/guard.cnf
    for kt in rsa ec ed25519; do
        newkey $kt.key $kt
        $OPENSSL req -config guard.cnf -x509 -new -key $kt.key -days 2 -out $kt.pem 2>/dev/null
        for proto in tls1_2 tls1_3; do
            local port server
            port=$(free_port)
            # Two accepts: the readiness probe below takes the first.
            timeout 20 $OPENSSL s_server -accept 127.0.0.1:$port -cert $kt.pem -key $kt.key -naccept 2 \
                -$proto -quiet >server.out 2>&1 &
            server=$!
            for _ in $(seq 100); do
                (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
                sleep 0.1
            done
            if echo hello | timeout 20 $OPENSSL s_client -connect 127.0.0.1:$port -$proto -CAfile $kt.pem \
                -verify_return_error -verify_hostname mail.contoso.com -brief >client.out 2>&1; then
                pass "TLS $proto with $kt certificate"
            else
                fail "TLS $proto with $kt certificate"
                cat client.out server.out >&2
            fi
            kill $server 2>/dev/null || true
            wait $server 2>/dev/null || true
        done
    done
    # CRL and CMS signing pass through.
    make_ca
    mkdir -p db/new
    : >db/index.txt
    echo 01 >db/crlnumber
    cat >>guard.cnf <<EOC

[ca]
default_ca = test_ca

[test_ca]
dir = $WORK/db
database = \$dir/index.txt
crlnumber = \$dir/crlnumber
certificate = $WORK/ca.pem
private_key = $WORK/ca.key
default_md = sha256
default_crl_days = 7
EOC
    if $OPENSSL ca -config guard.cnf -gencrl -out crl.pem 2>stderr.txt &&
        $OPENSSL crl -in crl.pem -CAfile ca.pem -noout 2>/dev/null; then
        pass "ca -gencrl"
    else
        fail "ca -gencrl"
        cat stderr.txt >&2
    fi
    # An OCSP response signed with the provider active.
    if $OPENSSL ocsp -issuer ca.pem -cert ca.pem -no_nonce -reqout ocsp.req 2>stderr.txt &&
        $OPENSSL ocsp -index db/index.txt -rsigner ca.pem -rkey ca.key -CA ca.pem -reqin ocsp.req \
            -respout ocsp.resp 2>>stderr.txt >/dev/null &&
        $OPENSSL ocsp -respin ocsp.resp -VAfile ca.pem 2>&1 | grep -q "Response verify OK"; then
        pass "ocsp response signing"
    else
        fail "ocsp response signing"
        cat stderr.txt >&2
    fi
    echo "content" >msg.txt
    if $OPENSSL cms -sign -binary -in msg.txt -signer ec.pem -inkey ec.key -out msg.cms 2>stderr.txt &&
        $OPENSSL cms -verify -binary -in msg.cms -CAfile ec.pem -purpose any -out verified.txt 2>/dev/null &&
        cmp -s msg.txt verified.txt; then
        pass "cms -sign / -verify"
    else
        fail "cms -sign"
        cat stderr.txt >&2
    fi
    unset OPENSSL_CONF
}

case_failclosed() {
    newkey key.pem ec
    local -a broken=("dns-syntaxx = off" "dns-internal = maybe" "report = $WORK/no/such/dir/report.log"
        "mode = permissive" "rdn-length = off")
    local -a expect=("unknown key 'dns-syntaxx'" "dns-internal = 'maybe'" "report = '$WORK/no/such/dir/report.log'"
        "mode = 'permissive'" "rdn-length = 'off'")
    for i in "${!broken[@]}"; do
        { guard_block "${broken[$i]}"; req_block mail.contoso.com mail.contoso.com; } >broken.cnf
        rm -f out.pem
        if $OPENSSL req -config broken.cnf -new -key key.pem -out out.pem 2>stderr.txt; then
            fail "'${broken[$i]}': signed"
        elif ! grep -qF "${expect[$i]}" stderr.txt; then
            fail "'${broken[$i]}': error does not name the key"
            cat stderr.txt >&2
        elif [ -e out.pem ] || [ -e "$WORK/no" ]; then
            fail "'${broken[$i]}': something was written"
        else
            pass "'${broken[$i]}' refused: $(grep -o 'rolecert config: [^;]*' stderr.txt | head -1)"
        fi
    done
    # The same through OPENSSL_CONF (x509 -req has no -config).
    plain_openssl_cnf mail.contoso.com mail.contoso.com >plain.cnf
    $OPENSSL req -config plain.cnf -new -key key.pem -out good.csr
    { guard_block "dns-syntaxx = off"; } >broken.cnf
    rm -f out.pem
    if OPENSSL_CONF=broken.cnf $OPENSSL x509 -req -in good.csr -signkey key.pem -out out.pem 2>stderr.txt; then
        fail "OPENSSL_CONF with an unknown key: x509 -req signed"
    elif ! grep -qF "unknown key 'dns-syntaxx'" stderr.txt || [ -s out.pem ]; then
        fail "OPENSSL_CONF with an unknown key: wrong refusal"
        cat stderr.txt >&2
    else
        pass "OPENSSL_CONF with an unknown key: x509 -req refused"
    fi
}

case_audit() {
    newkey key.pem ec
    { guard_block "mode = audit" "report = $WORK/report.log"; req_block mail.contoso.com mail.contoso.com bad_name.contoso.com owa1; } >audit.cnf
    expect_signed "audit mode signs a bad name" out.pem -- $OPENSSL req -config audit.cnf -new -key key.pem -out out.pem || true
    grep -q "error\[dns-syntax\].*bad_name.contoso.com.*audit" report.log && pass "audit: error reported" ||
        fail "audit: no error line in report"
    grep -q "warning\[dns-internal\].*owa1" report.log && pass "audit: warning reported" ||
        fail "audit: no warning line"
    [ "$(grep -c . report.log)" = "$(grep -c '^rolecert: ' report.log)" ] && pass "report: one finding per line" ||
        fail "report lines malformed"
    # In enforce mode warnings go to the report too, errors refuse.
    { guard_block "report = $WORK/enforce.log"; req_block mail.contoso.com mail.contoso.com owa1; } >warn.cnf
    expect_signed "warnings do not refuse" out.pem -- $OPENSSL req -config warn.cnf -new -key key.pem -out out.pem || true
    grep -q "warning\[dns-internal\]" enforce.log && pass "enforce: warning reported" || fail "enforce: no warning"
    { guard_block "report = off"; req_block mail.contoso.com mail.contoso.com owa1; } >off.cnf
    $OPENSSL req -config off.cnf -new -key key.pem -out out.pem 2>stderr.txt
    grep -q "dns-internal" stderr.txt && fail "report = off still reports" || pass "report = off is quiet"
}

case_prehashed() {
    newkey key.pem ec
    echo data >data.txt
    { guard_block "prehashed = refuse"; } >refuse.cnf
    { guard_block; } >allow.cnf
    $OPENSSL dgst -sha256 -binary -out data.sha256 data.txt
    if OPENSSL_CONF=refuse.cnf $OPENSSL pkeyutl -sign -inkey key.pem -in data.sha256 -out sig.bin 2>stderr.txt; then
        fail "prehashed = refuse: pkeyutl -sign signed"
    else
        grep -q "prehashed = refuse" stderr.txt && pass "prehashed = refuse refuses EVP_PKEY_sign" ||
            { fail "prehashed refusal message"; cat stderr.txt >&2; }
    fi
    OPENSSL_CONF=allow.cnf $OPENSSL pkeyutl -sign -inkey key.pem -in data.sha256 -out sig.bin 2>/dev/null &&
        OPENSSL_CONF=allow.cnf $OPENSSL pkeyutl -verify -inkey key.pem -in data.sha256 -sigfile sig.bin >/dev/null 2>&1 &&
        pass "prehashed = allow (default) signs" || fail "prehashed allow"
    # Audit mode signs everything, this too, and says what it let through.
    { guard_block "prehashed = refuse" "mode = audit" "report = $WORK/prehashed-audit.log"; } >refuse-audit.cnf
    rm -f sig.bin
    OPENSSL_CONF=refuse-audit.cnf $OPENSSL pkeyutl -sign -inkey key.pem -in data.sha256 -out sig.bin 2>/dev/null &&
        OPENSSL_CONF=allow.cnf $OPENSSL pkeyutl -verify -inkey key.pem -in data.sha256 -sigfile sig.bin >/dev/null 2>&1 &&
        pass "prehashed = refuse in audit mode signs" || fail "prehashed = refuse in audit mode refused"
    local expected_line="rolecert: EVP_PKEY_sign hands over only a digest, whose names cannot be checked (prehashed = refuse) (audit mode: signed anyway)"
    [ "$(cat prehashed-audit.log 2>/dev/null)" = "$expected_line" ] &&
        pass "prehashed = refuse in audit mode reports the one signature" ||
        { fail "prehashed = refuse audit report"; cat prehashed-audit.log >&2; }
    # python3-cryptography signs the digest itself: the provider never sees
    # the names. refuse stops it as a whole; allow lets it through.
    local py=${ROLECERT_PYTHON:-/usr/bin/python3}
    if "$py" -c 'import cryptography' 2>/dev/null; then
        [ "$(OPENSSL_CONF=refuse.cnf "$py" "$SCRIPT_DIR/py_csr.py" 2>&1 | cut -c1-7)" = refused ] &&
            pass "python3-cryptography RSA CSR refused with prehashed = refuse" ||
            fail "python3-cryptography signed with prehashed = refuse"
        [ "$(OPENSSL_CONF=allow.cnf "$py" "$SCRIPT_DIR/py_csr.py" 2>&1)" = signed ] &&
            pass "python3-cryptography signs with prehashed = allow (documented gap)" ||
            fail "python3-cryptography with prehashed = allow"
    fi
}

# The provider offers a wrapped copy of every signature algorithm the
# default provider has, whatever this OpenSSL's version: no fixed list.
case_algorithms() {
    $OPENSSL list -signature-algorithms -provider default | sed 's/ @ default$//' | sort >default.txt
    $OPENSSL list -signature-algorithms -provider-path "$MODULE_DIR" -provider rolecert |
        sed 's/ @ rolecert$//' | sort >rolecert.txt
    local n
    n=$(grep -c . default.txt)
    [ "$n" -ge 6 ] || fail "the default provider lists only $n signature algorithms"
    if diff default.txt rolecert.txt >diff.txt; then
        pass "rolecert wraps all $n signature algorithms of the default provider"
    else
        fail "signature algorithms differ (< default, > rolecert):"
        cat diff.txt >&2
    fi
    # Each of them that signs certificates is checked, here with the
    # key types this OpenSSL can generate in one line.
    { guard_block; req_block mail.contoso.com mail.contoso.com "*.com"; } >bad.cnf
    local kt
    for kt in ED25519 ED448 ML-DSA-44 SLH-DSA-SHAKE-128f; do
        grep -qiw -- "$kt" default.txt || continue
        $OPENSSL genpkey -algorithm $kt -out key.pem
        expect_refused "req -new ($kt)" dns-wildcard "*.com" out.pem -- \
            $OPENSSL req -config bad.cnf -new -key key.pem -out out.pem
    done
}

# tbs_of FILE.der: the to-be-signed part (the first element) of a DER
# request or certificate; lengths in short form or long form of 1-2 octets.
tbs_of() {
    local -a b
    read -r -a b < <(od -An -tu1 -N12 "$1")
    local outer=$((b[1] < 128 ? 2 : 2 + b[1] - 128)) inner_len inner_hdr
    local i=$outer
    case ${b[i + 1]} in
    129) inner_hdr=3 inner_len=${b[i + 2]} ;;
    130) inner_hdr=4 inner_len=$((b[i + 2] * 256 + b[i + 3])) ;;
    *) inner_hdr=2 inner_len=${b[i + 1]} ;;
    esac
    # Not under the sanitizer runtimes the ASan build preloads for openssl:
    # Debian 13's dd asks aligned_alloc for one byte aligned to a page,
    # which ASan rejects.
    env -u LD_PRELOAD dd if="$1" bs=1 skip=$outer count=$((inner_hdr + inner_len)) status=none
}

# Post-quantum signatures (OpenSSL 3.5+): refused when bad, signed and
# verifying when good, through req -new, req -x509, x509 -req and ca.
# PQC_TYPES picks the key types (valgrind_suite.sh: one of each family, as
# SLH-DSA-SHA2-128s alone takes minutes under valgrind).
case_pqc() {
    local -a wanted types=()
    read -r -a wanted <<<"${PQC_TYPES:-ML-DSA-44 ML-DSA-65 ML-DSA-87 SLH-DSA-SHA2-128s}"
    local kt
    for kt in "${wanted[@]}"; do
        $OPENSSL list -signature-algorithms | grep -qw -- "$kt" && types+=("$kt")
    done
    if [ ${#types[@]} -eq 0 ]; then
        echo "skip: $($OPENSSL version) has no ML-DSA or SLH-DSA (OpenSSL 3.5 has)"
        exit 77
    fi
    [ ${#types[@]} -eq ${#wanted[@]} ] || fail "only ${types[*]} of ${wanted[*]}"
    { guard_block; req_block mail.contoso.com mail.contoso.com bad_name.contoso.com; } >bad.cnf
    { guard_block; req_block mail.contoso.com mail.contoso.com contoso.com; } >good.cnf
    plain_openssl_cnf mail.contoso.com mail.contoso.com bad_name.contoso.com >badreq.cnf
    plain_openssl_cnf mail.contoso.com mail.contoso.com contoso.com >goodreq.cnf
    newkey leaf.key ec
    $OPENSSL req -config badreq.cnf -new -key leaf.key -out bad.csr
    $OPENSSL req -config goodreq.cnf -new -key leaf.key -out good.csr
    guard_block >guard.cnf
    for kt in "${types[@]}"; do
        newkey key.pem "$kt"
        expect_refused "req -new ($kt)" dns-syntax bad_name.contoso.com out.pem -- \
            $OPENSSL req -config bad.cnf -new -key key.pem -out out.pem
        expect_refused "req -x509 ($kt)" dns-syntax bad_name.contoso.com out.pem -- \
            $OPENSSL req -config bad.cnf -x509 -new -key key.pem -out out.pem
        expect_refused "req -x509 -newkey ($kt)" dns-syntax bad_name.contoso.com out.pem -- \
            $OPENSSL req -config bad.cnf -x509 -newkey "$kt" -nodes -keyout new.key -out out.pem
        if expect_signed "req -new good ($kt)" out.pem -- \
            $OPENSSL req -config good.cnf -new -key key.pem -out out.pem; then
            $OPENSSL req -verify -in out.pem -noout >/dev/null 2>&1 &&
                pass "req -verify ($kt)" || fail "req -verify ($kt)"
        fi
        if expect_signed "req -x509 good ($kt)" out.pem -- \
            $OPENSSL req -config good.cnf -x509 -new -key key.pem -out out.pem; then
            $OPENSSL verify -CAfile out.pem out.pem >/dev/null 2>&1 &&
                pass "verify self-signed ($kt)" || fail "verify self-signed ($kt)"
        fi

        # EVP_PKEY_sign hands ML-DSA and SLH-DSA the message itself (and
        # -rawin a digest-sign): a bare request TBS is checked there too.
        $OPENSSL req -config badreq.cnf -new -key key.pem -outform DER -out bad.der
        tbs_of bad.der >tbs.der
        $OPENSSL req -config goodreq.cnf -new -key key.pem -outform DER -out good.der
        tbs_of good.der >goodtbs.der
        for rawin in "" -rawin; do
            expect_refused "pkeyutl -sign $rawin on a request TBS ($kt)" dns-syntax bad_name.contoso.com sig.bin -- \
                env OPENSSL_CONF="$WORK/guard.cnf" $OPENSSL pkeyutl -sign $rawin -inkey key.pem -in tbs.der -out sig.bin
            expect_signed "pkeyutl -sign $rawin on a good request TBS ($kt)" sig.bin -- \
                env OPENSSL_CONF="$WORK/guard.cnf" $OPENSSL pkeyutl -sign $rawin -inkey key.pem -in goodtbs.der -out sig.bin ||
                true
        done

        # A CA whose key is of this type signs leaf certificates.
        rm -rf db ca.key ca.pem
        make_ca "$kt"
        guard_block >guard.cnf
        expect_refused "x509 -req -CA ($kt CA)" dns-syntax bad_name.contoso.com x509out.pem -- \
            env OPENSSL_CONF="$WORK/guard.cnf" $OPENSSL x509 -req -in bad.csr -CA ca.pem -CAkey ca.key \
            -CAcreateserial -copy_extensions copy -days 30 -out x509out.pem
        if expect_signed "x509 -req -CA good ($kt CA)" x509out.pem -- \
            env OPENSSL_CONF="$WORK/guard.cnf" $OPENSSL x509 -req -in good.csr -CA ca.pem -CAkey ca.key \
            -CAcreateserial -copy_extensions copy -days 30 -out x509out.pem; then
            $OPENSSL verify -CAfile ca.pem x509out.pem >/dev/null 2>&1 &&
                pass "x509 -req result verifies ($kt CA)" || fail "x509 -req result ($kt CA) does not verify"
        fi
        # ML-DSA and SLH-DSA take no separate digest.
        CA_MD=default write_ca_cnf >ca.cnf
        expect_refused "ca ($kt CA)" dns-syntax bad_name.contoso.com caout.pem -- \
            $OPENSSL ca -batch -config ca.cnf -in bad.csr -out caout.pem
        if expect_signed "ca good ($kt CA)" caout.pem -- \
            $OPENSSL ca -batch -config ca.cnf -in good.csr -out caout.pem; then
            $OPENSSL verify -CAfile ca.pem caout.pem >/dev/null 2>&1 &&
                pass "ca result verifies ($kt CA)" || fail "ca result ($kt CA) does not verify"
        fi
    done
}

# MODULE_DIR holds a build with only 3 slots (ROLECERT_SLOT_LIMIT=3): what
# does not fit is reported at load and refused, never signed through the
# default provider. Which algorithms fit depends on the delegate's order
# (RSA on 3.0, DSA variants on 3.5), so the expectation follows the report.
case_narrow() {
    $OPENSSL list -signature-algorithms -provider-path "$MODULE_DIR" -provider rolecert \
        >/dev/null 2>report.txt
    grep -q "could not be wrapped (no free slot)" report.txt &&
        pass "the load reports what did not fit" || fail "no report of unwrapped algorithms"
    { guard_block; req_block mail.contoso.com mail.contoso.com contoso.com; } >good.cnf
    local entry kt sig kmgmt refused=0
    for entry in rsa:RSA:RSA ec:ECDSA:EC ed25519:ED25519:ED25519 ed448:ED448:ED448; do
        IFS=: read -r kt sig kmgmt <<<"$entry"
        newkey key.pem $kt
        if grep -qE "(signature algorithm $sig|key manager $kmgmt)[: ]" report.txt; then
            refused=$((refused + 1))
            expect_refused_saying "$kt beyond the slots" "this [a-z ]* could not be wrapped" out.pem -- \
                $OPENSSL req -config good.cnf -new -key key.pem -out out.pem
        else
            expect_signed "$kt in a slot" out.pem -- \
                $OPENSSL req -config good.cnf -new -key key.pem -out out.pem || true
        fi
    done
    [ $refused -ge 2 ] || fail "with 3 slots only $refused of 4 key types were left out"
}

# OPENSSL_CONF and -config both activate rolecert: both policies apply.
case_layered() {
    newkey key.pem ec
    guard_block "permitted_domains = contoso.com" >system.cnf
    export OPENSSL_CONF=$WORK/system.cnf
    # -config allows fabrikam.com too and makes internal names errors.
    local relaxed="permitted_domains = contoso.com, fabrikam.com"
    { guard_block "$relaxed" "dns-internal = error"; req_block mail.fabrikam.com mail.fabrikam.com; } >req.cnf
    expect_refused "OPENSSL_CONF's permitted_domains still applies under -config" \
        domain-not-permitted mail.fabrikam.com out.pem -- \
        $OPENSSL req -config req.cnf -new -key key.pem -out out.pem
    { guard_block "$relaxed" "dns-internal = error"; req_block mail.contoso.com mail.contoso.com owa1; } >req.cnf
    expect_refused "-config's dns-internal = error applies under OPENSSL_CONF" dns-internal owa1 out.pem -- \
        $OPENSSL req -config req.cnf -new -key key.pem -out out.pem
    { guard_block "$relaxed" "dns-internal = error"; req_block mail.contoso.com mail.contoso.com contoso.com; } >req.cnf
    expect_signed "a name good under both signs" out.pem -- \
        $OPENSSL req -config req.cnf -new -key key.pem -out out.pem &&
        { $OPENSSL req -verify -in out.pem -noout >/dev/null 2>&1 && pass "it verifies" || fail "it does not verify"; }

    # A later config cannot loosen an earlier one, nor the reverse.
    { guard_block "mode = audit"; req_block mail.contoso.com mail.contoso.com bad_name.contoso.com; } >req.cnf
    expect_refused "mode = audit in -config does not switch off OPENSSL_CONF's enforce" \
        dns-syntax bad_name.contoso.com out.pem -- $OPENSSL req -config req.cnf -new -key key.pem -out out.pem
    guard_block "mode = audit" >system.cnf
    { guard_block; req_block mail.contoso.com mail.contoso.com bad_name.contoso.com; } >req.cnf
    expect_refused "-config's enforce applies under an audit OPENSSL_CONF" \
        dns-syntax bad_name.contoso.com out.pem -- $OPENSSL req -config req.cnf -new -key key.pem -out out.pem

    # An unknown key in the later file is not ignored.
    guard_block >system.cnf
    { guard_block "dns-syntaxx = off"; req_block mail.contoso.com mail.contoso.com; } >req.cnf
    expect_refused_saying "unknown key in -config under OPENSSL_CONF" \
        "unknown key 'dns-syntaxx' in req.cnf" out.pem -- $OPENSSL req -config req.cnf -new -key key.pem -out out.pem
    unset OPENSSL_CONF

    # A config that cannot be read twice cannot be checked for unknown
    # keys: signing is refused, saying why and what to do.
    plain_openssl_cnf mail.contoso.com mail.contoso.com >plain.cnf
    $OPENSSL req -config plain.cnf -new -key key.pem -out good.csr
    local body
    for body in "dns-syntaxx = off" "dns-internal = error"; do
        expect_refused_saying "OPENSSL_CONF=<(...) with '$body'" "could not be read again.*not a pipe" out.pem -- \
            env OPENSSL_CONF=<(guard_block "$body") $OPENSSL x509 -req -in good.csr -signkey key.pem -out out.pem
    done
}

"case_$CASE"
if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "all passed"
