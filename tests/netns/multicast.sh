#!/usr/bin/env bash
# Network-namespace multicast test (issue 4): three hosts on a bridge; two join a group, the third sends;
# both members receive; a member that left does not (its host keeps a socket on the port, without membership).
#
# Everything lives in namespaces this script makes (names end in the shell's pid) and deletes on exit:
# a bridge namespace and three host namespaces joined by veth pairs created directly inside them. Addresses
# (10.200.77.0/24) and multicast routes exist only inside the namespaces; the host's interfaces are never touched.
# Where namespaces cannot be made (not root, no ip, no socat) it prints "skipped: ..." and exits 77 (the automake code for a skipped test; .ci/run counts it as skipped).
set -u

skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root to make network namespaces"
command -v ip >/dev/null 2>&1 || skip "ip (iproute2) not installed"
command -v socat >/dev/null 2>&1 || skip "socat not installed"

id=$$
BR=ws2mbr$id
H=(ws2mh1_$id ws2mh2_$id ws2mh3_$id)
GROUP=239.255.77.7
GROUPHEX=074DFFEF   # /proc/net/igmp spelling of 239.255.77.7 (little-endian hex)
PORT=47007
TMP=$(mktemp -d /tmp/ws2mcast.XXXXXX)
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  for ns in "${H[@]}" "$BR"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$BR" 2>/dev/null || skip "cannot create network namespaces here"
ip -n "$BR" link add br0 type bridge mcast_snooping 0 || skip "no bridge support"
ip -n "$BR" link set br0 up
for i in 0 1 2; do
  ns=${H[$i]}
  ip netns add "$ns" || fail "netns add $ns"
  # The pair is made inside the host namespace, its peer moved straight into the bridge namespace.
  ip -n "$ns" link add eth0 type veth peer name p$i netns "$BR" || skip "no veth support"
  ip -n "$BR" link set p$i master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$ns" addr add 10.200.77.$((i + 1))/24 dev eth0
  ip -n "$ns" route add 224.0.0.0/4 dev eth0   # multicast leaves through the veth, inside the namespace only
done

# member <index> <output>: joins GROUP on its veth address and appends every datagram to <output>.
member() {
  local i=$1 out=$2
  ip netns exec "${H[$i]}" socat -u \
    "UDP4-RECV:$PORT,reuseaddr,ip-add-membership=$GROUP:10.200.77.$((i + 1))" "OPEN:$out,creat,append" &
  PIDS+=($!)
}
joined() { ip netns exec "${H[$1]}" grep -q "$GROUPHEX" /proc/net/igmp; }
send() {
  echo "$1" | ip netns exec "${H[2]}" socat -u - \
    "UDP4-DATAGRAM:$GROUP:$PORT,ip-multicast-if=10.200.77.3,ip-multicast-ttl=1" || fail "send $1"
}
# waitfor <file> <text>: bounded wait (10 s) for a datagram to arrive.
waitfor() {
  for _ in $(seq 100); do grep -qx "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

member 0 "$TMP/m1"
member 1 "$TMP/m2"
for _ in $(seq 100); do joined 0 && joined 1 && break; sleep 0.1; done
joined 0 && joined 1 || fail "members did not join"
joined 2 && fail "the sender's host joined (it must not)"

send first
waitfor "$TMP/m1" first || fail "member 1 did not receive 'first'"
waitfor "$TMP/m2" first || fail "member 2 did not receive 'first'"
echo "ok: both members received the first datagram"

# Member 2 leaves; its host keeps a socket on the same port without membership.
kill "${PIDS[1]}"; wait "${PIDS[1]}" 2>/dev/null
for _ in $(seq 100); do joined 1 || break; sleep 0.1; done
joined 1 && fail "member 2 did not leave"
ip netns exec "${H[1]}" socat -u "UDP4-RECV:$PORT,reuseaddr" "OPEN:$TMP/m2-after,creat,append" &
PIDS+=($!)

send second
waitfor "$TMP/m1" second || fail "member 1 did not receive 'second'"
# Sentinel: a unicast datagram to host 2's port, sent after 'second'. Once it is there, 'second' would have been too.
echo sentinel | ip netns exec "${H[2]}" socat -u - "UDP4-DATAGRAM:10.200.77.2:$PORT" || fail "unicast sentinel"
waitfor "$TMP/m2-after" sentinel || fail "host 2 did not receive the unicast sentinel"
grep -qx second "$TMP/m2" "$TMP/m2-after" && fail "member 2 received a datagram after it left"
echo "ok: the member that left did not receive the second datagram"
echo "multicast netns test: passed"
