#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `openssl cmp` (CRMF ir, cr, kur) under an enforcing config written by
# `rolecert conf --enforce`, against openssl's own mock CA (`openssl cmp
# -port`), which runs without rolecert:
#   cmp_test.sh MODULE_DIR ROLECERT_CLI PROFILE
# A bad name is refused before anything is sent (naming the rule); a good
# request is sent and answered. The proof of possession signs the
# CertRequest, signature-based message protection the ProtectedPart; with
# -popo 0 (RAVerified) the latter is the only signature that sees the names.
#
# The mock server listens on every interface (`-port` takes no address), so
# when user namespaces allow it the whole test runs in a fresh network
# namespace, where only loopback exists. The server is killed on exit.
set -euo pipefail

MODULE_DIR=$(readlink -f "$1")
ROLECERT=$(readlink -f "$2")
PROFILE=$(readlink -f "$3")
OPENSSL=${OPENSSL:-openssl}

if [[ -z ${ROLECERT_CMP_NETNS:-} ]] && command -v ip >/dev/null &&
  unshare -rn true 2>/dev/null; then
  exec unshare -rn env ROLECERT_CMP_NETNS=1 bash "$0" "$@"
fi
if [[ -n ${ROLECERT_CMP_NETNS:-} ]]; then
  ip link set lo up
  echo "network namespace of its own: only loopback"
else
  echo "note: no private network namespace here; the mock server listens on all interfaces while the test runs"
fi

WORK=$(mktemp -d)
server_pid=
cleanup() {
  local rc=$?
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
cd "$WORK"
unset OPENSSL_CONF OPENSSL_MODULES
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

"$ROLECERT" conf "$PROFILE" --enforce --module "$MODULE_DIR/rolecert.so" -o enforce.cnf >/dev/null
ec_key() { "$OPENSSL" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
self_signed() { "$OPENSSL" req -x509 -key "$1" -subj "$2" -days 1 -out "$3"; }
ec_key srv.key && self_signed srv.key /CN=mock-ca srv.crt
ec_key client.key && self_signed client.key /CN=client client.crt
# The mock answers with -rsp_cert as is: it must carry the requested key.
ec_key new.key && self_signed new.key /CN=mail.contoso.com rsp.crt

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$OPENSSL" cmp -port "$port" -srv_ref mock -srv_secret pass:1234 -srv_cert srv.crt \
  -srv_key srv.key -srv_trusted "client.crt, rsp.crt" -rsp_cert rsp.crt \
  -accept_raverified >server.log 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q ACCEPT server.log && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
grep -q ACCEPT server.log || {
  cat server.log >&2
  echo "FAIL: the mock server did not start on port $port" >&2
  exit 1
}

# 3.0 logs "Received request", 3.5 "received request".
received() { grep -ci 'received request' server.log || true; }

# cmp_case NAME WANT(refused|enrolled) ARGS...: one client run, enforced.
cmp_case() {
  local name=$1 want=$2
  shift 2
  local before rc=0
  before=$(received)
  rm -f out.pem
  timeout 60 env OPENSSL_CONF="$WORK/enforce.cnf" "$OPENSSL" cmp -server "127.0.0.1:$port" \
    -recipient /CN=mock-ca -certout out.pem "$@" >client.log 2>&1 || rc=$?
  local sent=$(($(received) - before))
  if [[ $want == refused ]]; then
    if ((rc != 0)) && grep -q 'error\[dns-syntax\].*bad_name.contoso.com.*(CRMF certificate request)' client.log &&
      ((sent == 0)) && [[ ! -s out.pem ]]; then
      pass "$name: refused before sending, naming the rule"
    else
      fail "$name: expected a refusal naming dns-syntax (rc $rc, $sent sent)"
      cat client.log >&2
    fi
  else
    if ((rc == 0)) && ((sent > 0)) && [[ -s out.pem ]] &&
      "$OPENSSL" x509 -in out.pem -noout -subject | grep -q mail.contoso.com; then
      pass "$name: sent and answered"
    else
      fail "$name: expected an enrolled certificate (rc $rc, $sent sent)"
      cat client.log >&2
    fi
  fi
}

bad=(-subject /CN=bad_name.contoso.com -sans bad_name.contoso.com)
good=(-subject /CN=mail.contoso.com -sans mail.contoso.com)
mac=(-ref client -secret pass:1234)
signed=(-cert client.crt -key client.key -srvcert srv.crt)

cmp_case "ir, bad name (PoP over the CertRequest)" refused -cmd ir "${mac[@]}" -newkey new.key "${bad[@]}"
cmp_case "ir, bad SAN only" refused -cmd ir "${mac[@]}" -newkey new.key \
  -subject /CN=mail.contoso.com -sans bad_name.contoso.com
cmp_case "ir, good name" enrolled -cmd ir "${mac[@]}" -newkey new.key "${good[@]}"
cmp_case "cr, bad name (PoP)" refused -cmd cr "${signed[@]}" -newkey new.key "${bad[@]}"
cmp_case "cr, good name (PoP)" enrolled -cmd cr "${signed[@]}" -newkey new.key "${good[@]}"
cmp_case "cr -popo 0, bad name (only the ProtectedPart is signed)" refused -cmd cr "${signed[@]}" \
  -popo 0 -newkey new.key "${bad[@]}"
cmp_case "cr -popo 0, good name" enrolled -cmd cr "${signed[@]}" -popo 0 -newkey new.key "${good[@]}"
cmp_case "kur, bad name" refused -cmd kur -cert rsp.crt -key new.key -srvcert srv.crt \
  -oldcert rsp.crt -newkey new.key "${bad[@]}"

# The control: without rolecert the same bad request is sent and answered.
rc=0
before=$(received)
timeout 60 "$OPENSSL" cmp -server "127.0.0.1:$port" -recipient /CN=mock-ca -certout out.pem \
  -cmd ir "${mac[@]}" -newkey new.key "${bad[@]}" >client.log 2>&1 || rc=$?
if ((rc == 0)) && (($(received) > before)); then
  pass "control: stock openssl sends the bad request"
else
  fail "control: stock openssl did not enroll (rc $rc): the refusals above prove nothing"
  cat client.log >&2
fi

((failures == 0)) || {
  echo "$failures failure(s)" >&2
  exit 1
}
