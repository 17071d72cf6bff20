#!/usr/bin/env bash
# Network-namespace rooted multipoint test (issue 3): a root on one host and a leaf on each of two others, on a
# bridge. Both leaves join across hosts and receive the root's lines; then one leaf's link goes down: the root reports
# that leaf gone (leaf-left, WSAENETRESET) within the dead-peer timeout (three heartbeat intervals, 1 s each by
# default; allowed: 10 s), and the other leaf still receives a line sent afterwards.
#
# Everything lives in namespaces this script makes (names end in the shell's pid) and deletes on exit: a bridge
# namespace and three host namespaces joined by veth pairs created directly inside them. Addresses (10.201.77.0/24)
# exist only inside the namespaces; the host's interfaces are never touched. The real `ws2` tool runs in each host
# namespace (`ip netns exec NS dotnet ws2.dll ...`) with --json output to files.
# Where namespaces cannot be made (not root, no ip) it prints "skipped: ..." and exits 77 (the automake code for a skipped test; .ci/run counts it as skipped).
set -u

skip() { echo "skipped: $*"; exit 77; }
fail() {
  echo "FAIL: $*"
  for f in "${TMP:-/nonexistent}"/*.out "${TMP:-/nonexistent}"/*.err; do
    [ -s "$f" ] && { echo "--- $(basename "$f")"; tail -n 20 "$f"; }
  done
  exit 1
}

[ "$(id -u)" = 0 ] || skip "needs root to make network namespaces"
command -v ip >/dev/null 2>&1 || skip "ip (iproute2) not installed"
command -v dotnet >/dev/null 2>&1 || skip "dotnet not installed"

cd "$(dirname "$0")/../.."
# Build ws2 once; its dll is what every namespace runs.
dotnet build src/Ws2 -nologo -v q >/dev/null || fail "dotnet build src/Ws2"
DLL=$PWD/src/Ws2/bin/Debug/net10.0/ws2.dll
[ -f "$DLL" ] || fail "no $DLL after the build"
DOTNET=$(command -v dotnet)

id=$$
BR=ws2rbr$id
ROOT=ws2rr_$id
LEAF=(ws2rl1_$id ws2rl2_$id)
NET=10.201.77
PORT=47300
TMP=$(mktemp -d /tmp/ws2rooted.XXXXXX)
PIDS=()

cleanup() {
  exec 3>&- 2>/dev/null
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for _ in $(seq 50); do
    alive=0
    for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  wait 2>/dev/null
  for ns in "$ROOT" "${LEAF[@]}" "$BR"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$BR" 2>/dev/null || skip "cannot create network namespaces here"
ip -n "$BR" link add br0 type bridge || skip "no bridge support"
ip -n "$BR" link set br0 up
# host <namespace> <index>: a host with eth0 = $NET.<index+1>, its veth peer p<index> on the bridge.
host() {
  local ns=$1 i=$2
  ip netns add "$ns" || fail "netns add $ns"
  # The pair is made inside the host namespace, its peer moved straight into the bridge namespace.
  ip -n "$ns" link add eth0 type veth peer name p$i netns "$BR" || skip "no veth support"
  ip -n "$BR" link set p$i master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$ns" addr add $NET.$((i + 1))/24 dev eth0
}
host "$ROOT" 0
host "${LEAF[0]}" 1
host "${LEAF[1]}" 2

# has <file> <fixed text>...: some line of the file holds every text.
has() {
  local f=$1 out; shift
  out=$(cat "$f" 2>/dev/null) || return 1
  for t in "$@"; do out=$(printf '%s\n' "$out" | grep -F -- "$t") || return 1; done
}
# waitfor <seconds> <file> <fixed text>...: bounded wait until has succeeds.
waitfor() {
  local seconds=$1; shift
  for _ in $(seq $((seconds * 10))); do has "$@" && return 0; sleep 0.1; done
  return 1
}

# The root: stdin from a fifo held open on fd 3, so each `echo >&3` is one message to every leaf.
mkfifo "$TMP/root.in"
ip netns exec "$ROOT" "$DOTNET" "$DLL" root --listen $NET.1:$PORT --json <"$TMP/root.in" >"$TMP/root.out" 2>"$TMP/root.err" &
PIDS+=($!)
exec 3>"$TMP/root.in"
waitfor 20 "$TMP/root.out" '"event":"listening"' "\"address\":\"$NET.1:$PORT\"" || fail "the root did not listen on $NET.1:$PORT"

for i in 0 1; do
  ip netns exec "${LEAF[$i]}" "$DOTNET" "$DLL" leaf --join $NET.1:$PORT --caller-data "leaf$((i + 1))" --json \
    </dev/null >"$TMP/leaf$((i + 1)).out" 2>"$TMP/leaf$((i + 1)).err" &
  PIDS+=($!)
done
for i in 1 2; do
  waitfor 20 "$TMP/leaf$i.out" '"event":"joined"' "\"root\":\"$NET.1:$PORT\"" "\"local\":\"$NET.$((i + 1)):" \
    || fail "leaf $i did not join the root across hosts"
  waitfor 20 "$TMP/root.out" '"event":"leaf-joined"' "\"leaf\":\"$NET.$((i + 1)):" "\"callerData\":\"leaf$i\"" \
    || fail "the root did not see leaf $i join from $NET.$((i + 1))"
done
echo "ok: both leaves joined the root across hosts"

echo "first line" >&3
for i in 1 2; do
  waitfor 10 "$TMP/leaf$i.out" '"event":"data"' '"text":"first line"' "\"from\":\"$NET.1:$PORT\"" || fail "leaf $i did not receive the first line"
done
echo "ok: both leaves received the root's first line"

# Leaf 2's link goes down: nothing more passes either way, no FIN, no RST.
ip -n "${LEAF[1]}" link set eth0 down || fail "link down"
down=$(date +%s%N)
waitfor 10 "$TMP/root.out" '"event":"leaf-left"' "\"leaf\":\"$NET.3:" || fail "the root did not report leaf 2 gone within 10 s of its link going down"
took=$((($(date +%s%N) - down) / 1000000))
has "$TMP/root.out" '"event":"leaf-left"' "\"leaf\":\"$NET.3:" '"errorName":"WSAENETRESET"' \
  || fail "leaf 2's leaf-left is not WSAENETRESET: $(grep -F '"leaf-left"' "$TMP/root.out")"
has "$TMP/root.out" '"event":"leaf-left"' "\"leaf\":\"$NET.2:" && fail "the root reported leaf 1 gone too"
echo "ok: the root reported leaf 2 closed with WSAENETRESET (about ${took} ms after its link went down; allowed 10 s)"
# Leaf 2 hears nothing from the root either: the session ends there with WSAENETRESET too.
waitfor 10 "$TMP/leaf2.out" '"event":"closed"' '"errorName":"WSAENETRESET"' || fail "leaf 2 did not report the session broken (WSAENETRESET)"
echo "ok: leaf 2 reported its session broken with WSAENETRESET"

echo "after the link went down" >&3
waitfor 10 "$TMP/leaf1.out" '"event":"data"' '"text":"after the link went down"' || fail "leaf 1 did not receive the line sent after leaf 2's link went down"
has "$TMP/leaf1.out" '"event":"closed"' && fail "leaf 1's session ended"
echo "ok: leaf 1 still receives after leaf 2's link went down"

# The root ends the session gracefully; leaf 1 sees FD_CLOSE with 0.
kill -TERM "${PIDS[0]}"
waitfor 10 "$TMP/leaf1.out" '"event":"closed"' '"errorName":"NO_ERROR"' || fail "leaf 1 did not see the root end the session gracefully"
echo "ok: the root ended the session; leaf 1 saw a graceful close"
echo "rooted netns test: passed"
