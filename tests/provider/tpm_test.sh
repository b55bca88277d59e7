#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# rolecert in front of tpm2-openssl with the swtpm simulator (issue 15).
#   tpm_test.sh MODULE_DIR
# CA keys (EC P-256, RSA-2048) made in the TPM with tpm2-tools and made
# persistent: with `delegate = tpm2`, req -x509 makes the CA certificate,
# x509 -req and ca refuse a bad request (the rule named, ca's database
# unchanged) and issue a good one that verifies; s_server with a TPM key
# completes TLS 1.3. Then what is and is not signed around it: a TSS2 PEM
# key file, software keys beside the TPM, and tpm2 activated beside
# rolecert (in the config, or with -provider on the command line).
# Exit 77 where tpm2-openssl, swtpm or tpm2-tools is not installed.
set -euo pipefail

# shellcheck source=token_lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/token_lib.sh" "$1"
[ -f "$MODULES/tpm2.so" ] || { echo "skipped: $MODULES/tpm2.so not installed (tpm2-openssl)"; exit 77; }
for tool in swtpm:swtpm tpm2_createprimary:tpm2-tools tpm2_evictcontrol:tpm2-tools \
    tpm2_flushcontext:tpm2-tools; do
    command -v "${tool%%:*}" >/dev/null ||
        { echo "skipped: no ${tool%%:*} (${tool#*:})"; exit 77; }
done

token_workdir TPM_TEST_KEEP

# The simulator and tpm2-tools hang with the sanitizer runtimes the ASan
# stage preloads for openssl (which loads the instrumented rolecert.so):
# they run without them.
unsanitized() { env -u LD_PRELOAD "$@"; }

# The simulator on a free pair of loopback ports (server, control). It
# lives for this test only: its state directory is in $WORK.
mkdir tpm
for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    # env itself, not the function: $! must be the simulator's pid (env
    # execs it); a backgrounded function is a subshell whose kill at exit
    # left the simulator running.
    env -u LD_PRELOAD swtpm socket --tpm2 --tpmstate dir="$WORK/tpm" --flags not-need-init,startup-clear \
        --server type=tcp,port=$port,bindaddr=127.0.0.1 \
        --ctrl type=tcp,port=$((port + 1)),bindaddr=127.0.0.1 >swtpm.out 2>&1 &
    DAEMON_PID=$!
    # tpm2-openssl 1.1 takes its TCTI from the environment only (a `tcti`
    # key in its config section is ignored); tpm2-tools from its own.
    export TPM2OPENSSL_TCTI=swtpm:host=127.0.0.1,port=$port TPM2TOOLS_TCTI=swtpm:host=127.0.0.1,port=$port
    for _ in $(seq 50); do
        unsanitized tpm2_getcap handles-persistent >/dev/null 2>&1 && break 2
        kill -0 "$DAEMON_PID" 2>/dev/null || break # the port was taken: another one
        sleep 0.1
    done
    kill "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=
done
[ -n "$DAEMON_PID" ] || { echo "FAIL: swtpm did not start: $(cat swtpm.out)" >&2; exit 1; }

# The keys, under a primary in the owner hierarchy, made persistent. There
# is no resource manager in front of swtpm: each tool's transient objects
# are flushed, or the TPM's three object slots run out.
tpm() {
    if ! unsanitized "$@" >tpm2.out 2>&1 || ! unsanitized tpm2_flushcontext -t >>tpm2.out 2>&1; then
        echo "FAIL: $*: $(cat tpm2.out)" >&2
        exit 1
    fi
}
tpm tpm2_createprimary -Q -C o -g sha256 -G ecc256 -c primary.ctx
EC_HANDLE=0x81000010
RSA_HANDLE=0x81000011
for key in ecc256:ecdsa:ec:$EC_HANDLE rsa2048:null:rsa:$RSA_HANDLE; do
    IFS=: read -r alg scheme name handle <<<"$key"
    tpm tpm2_create -Q -C primary.ctx -G "$alg:$scheme" -u "$name.pub" -r "$name.priv"
    tpm tpm2_load -Q -C primary.ctx -u "$name.pub" -r "$name.priv" -c "$name.ctx"
    # -o: the serialized handle, for tpm2-openssl's `object:` scheme.
    tpm tpm2_evictcontrol -Q -C o -c "$name.ctx" "$handle" -o "$name.tr"
done
EC_KEY=handle:$EC_HANDLE
RSA_KEY=handle:$RSA_HANDLE

guard_block >plain.cnf
# What an administrator has after moving tpm2's activation into rolecert's
# section: tpm2-openssl 1.1 reads nothing else from it.
{
    guard_block "delegate = tpm2" "delegate_section = tpm2_sect"
    printf '[tpm2_sect]\nactivate = 1\n'
} >tpm.cnf
guard_block "delegate = tpm2" >tpm-bare.cnf
export OPENSSL_CONF=$WORK/tpm.cnf
OPENSSL_CONF=$WORK/plain.cnf token_leaf_requests

# The client is not the CA: it has no TPM. (Under `delegate = tpm2` it
# verifies with the TPM too, each public key loaded into it, and against
# swtpm, which has no resource manager in front, it ran out of object
# slots at the server's CertificateVerify.)
TOKEN_CLIENT_CONF=$WORK/plain.cnf token_checks "$EC_KEY" "$RSA_KEY" TPM

# The same persistent key named by tpm2-openssl's other scheme, and
# `delegate = tpm2` without a section.
export OPENSSL_CONF=$WORK/tpm-bare.cnf
if run object-bad 1 "$OPENSSL" x509 -req -in bad.csr -CA ec-ca.pem -CAkey object:ec.tr \
    -copy_extensions copy -days 10 -out object-bad.crt &&
    grep -q 'error\[dns-syntax\]' object-bad.out && [ ! -s object-bad.crt ] &&
    run object-good 0 "$OPENSSL" x509 -req -in good.csr -CA ec-ca.pem -CAkey object:ec.tr \
        -copy_extensions copy -days 10 -out object-good.crt &&
    "$OPENSSL" verify -CAfile ec-ca.pem object-good.crt >/dev/null; then
    pass "object:ec.tr (the key's serialized handle) is checked: bad refused, good issued"
else
    fail "the object: scheme"
fi
export OPENSSL_CONF=$WORK/tpm.cnf

# A TSS2 PEM key file (what `openssl genpkey -provider tpm2` writes) is
# decoded by tpm2-openssl's decoder, which rolecert does not offer: with
# `delegate = tpm2` the file does not load, and nothing is signed.
{
    printf 'openssl_conf = init\n[init]\nproviders = provider_sect\n[provider_sect]\n'
    printf 'default = default_sect\ntpm2 = tpm2_sect\n[default_sect]\nactivate = 1\n'
    printf '[tpm2_sect]\nactivate = 1\n'
} >tpm2-alone.cnf
OPENSSL_CONF=$WORK/tpm2-alone.cnf tpm "$OPENSSL" genpkey -propquery provider=tpm2 \
    -algorithm EC -pkeyopt group:P-256 -out tss2.pem
grep -q -- '-----BEGIN TSS2 PRIVATE KEY-----' tss2.pem || fail "genpkey wrote no TSS2 key"
if run tss2-file 1 "$OPENSSL" req -x509 -new -key tss2.pem -subj /CN=bad_name.contoso.com \
    -out tss2.crt && grep -q 'No supported data to decode' tss2-file.out && [ ! -s tss2.crt ]; then
    pass "a TSS2 PEM key file does not load under delegate = tpm2; nothing signed"
else
    fail "a TSS2 PEM key file under delegate = tpm2"
fi

# Software keys beside the TPM: tpm2-openssl offers EC and RSA but takes
# in only their public half, so such a key is refused, never signed by
# `default` unchecked; Ed25519, which tpm2 lacks, is signed by `default`,
# checked.
if run soft-ec 1 "$OPENSSL" req -new -key leaf.key -subj /CN=mail.contoso.com \
    -addext subjectAltName=DNS:mail.contoso.com -out soft-ec.csr &&
    grep -q 'could not import this software key.*(tpm2): refusing rather than signing unchecked' \
        soft-ec.out; then
    pass "an EC software key beside the TPM is refused, naming tpm2"
else
    fail "EC software key beside the TPM"
fi
"$OPENSSL" genpkey -algorithm ed25519 -out ed.key
if run soft-ed-bad 1 "$OPENSSL" req -new -key ed.key -subj /CN=bad_name.contoso.com -out x.csr &&
    grep -q 'error\[cn-invalid-dns\]' soft-ed-bad.out &&
    run soft-ed-good 0 "$OPENSSL" req -new -key ed.key -subj /CN=mail.contoso.com \
        -addext subjectAltName=DNS:mail.contoso.com -out ed.csr; then
    pass "an Ed25519 software key beside the TPM is checked: bad refused, good signed"
else
    fail "Ed25519 software key beside the TPM"
fi

# tpm2 activated beside rolecert in the config, without `delegate`: named
# on stderr at every run, and every signature refused naming it, whether
# the key comes by handle or from a TSS2 PEM file.
{
    guard_block
    printf '[provider_sect]\ntpm2 = tpm2_sect\n[tpm2_sect]\nactivate = 1\n'
} >beside.cnf
beside_msg="beside.cnf activates the provider 'tpm2' beside rolecert"
if OPENSSL_CONF=$WORK/beside.cnf run beside-list 0 "$OPENSSL" list -providers &&
    grep -q "^rolecert: rolecert config: .*$beside_msg" beside-list.out; then
    pass "tpm2 beside rolecert is reported on stderr by a run that signs nothing"
else
    fail "tpm2 beside rolecert was not reported"
fi
for key in "$EC_KEY" tss2.pem; do
    if OPENSSL_CONF=$WORK/beside.cnf run beside 1 "$OPENSSL" req -x509 -new -key "$key" \
        -subj "/CN=Contoso CA" -addext basicConstraints=critical,CA:TRUE -out beside.crt &&
        grep -q "rolecert_config_usable:.*$beside_msg.*refusing to sign anything" beside.out &&
        [ ! -s beside.crt ]; then
        pass "tpm2 beside rolecert: signing with $key is refused, naming tpm2"
    else
        fail "tpm2 beside rolecert: $key was not refused"
    fi
done

# tpm2 loaded with -provider, which no config shows rolecert: the TPM key
# is exported (its public half) to rolecert's key manager, so rolecert
# checks the name, and `default` beneath it cannot sign with it. Nothing
# is signed either way; never tpm2's own signature.
if OPENSSL_CONF=$WORK/plain.cnf run cmdline-bad 1 "$OPENSSL" x509 -provider tpm2 \
    -provider default -req -in bad.csr -CA ec-ca.pem -CAkey "$EC_KEY" -copy_extensions copy \
    -days 10 -out cmdline-bad.crt && grep -q 'error\[dns-syntax\]' cmdline-bad.out &&
    OPENSSL_CONF=$WORK/plain.cnf run cmdline-good 1 "$OPENSSL" x509 -provider tpm2 \
        -provider default -req -in good.csr -CA ec-ca.pem -CAkey "$EC_KEY" \
        -copy_extensions copy -days 10 -out cmdline-good.crt && grep -q 'missing private key' cmdline-good.out &&
    [ ! -s cmdline-bad.crt ] && [ ! -s cmdline-good.crt ]; then
    pass "-provider tpm2 beside rolecert: bad name refused by rule, good one not signed"
else
    fail "-provider tpm2 beside rolecert"
fi

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "all TPM checks passed"
