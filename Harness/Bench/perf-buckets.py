#!/usr/bin/env python3
# Where the harness's and ws's CPU goes during `bench --fuzz`, from perf samples with call chains. Linux, as root:
#   DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 perf record -F 1999 -g -o /tmp/fuzz.data -- \
#       dotnet .tools/wsconf/wsconf.dll bench --fuzz > /tmp/bench.txt
#   perf script -i /tmp/fuzz.data -F comm,tid,ip,sym | python3 Harness/Bench/perf-buckets.py
# Each sample goes to the first bucket whose rule matches its stack (README, "Fuzzing", Figures).
import sys, re, collections

def has(stack, *names):
    return any(any(n in f for n in names) for f in stack)

DELIVERY = ("process_backlog", "__netif_receive_skb")
SEND = ("tcp_sendmsg", "__sys_sendto", "sock_write_iter", "do_writev")
RECV = ("tcp_recvmsg", "__sys_recvmsg", "sock_read_iter", "__sys_recvfrom")
CONN = ("__sys_connect", "__sys_socket", "__sys_shutdown", "__fput", "tcp_close", "inet_release", "__sys_setsockopt", "do_sock_getsockopt", "__sys_accept4", "sock_close")
WAIT = ("futex_wait", "futex_wake", "do_futex", "do_sched_yield", "do_sys_poll", "do_epoll_wait", "do_nanosleep", "hrtimer_nanosleep", "schedule", "finish_task_switch", "ep_poll")

def kernel_rules(delivered):
    """The kernel's buckets, the same for both sides; `delivered` names whose segments the loopback delivers where."""
    return [
        (f"loopback delivery of {delivered}", lambda c, s: has(s, *DELIVERY)),
        ("connect, accept, socket, shutdown, close", lambda c, s: has(s, *CONN)),
        ("send (own part)", lambda c, s: has(s, *SEND)),
        ("receive", lambda c, s: has(s, *RECV)),
        ("waiting and waking threads (futex, yield, poll, epoll, sleep)", lambda c, s: has(s, *WAIT)),
        ("other (page faults, timers, interrupts)", lambda c, s: bool(s) and s[0].startswith("K:")),
    ]

HARNESS = [
    ("JIT compiler", lambda c, s: c.startswith(".NET Tiered") or has(s[:4], "libclrjit", "CILJit", "Compiler::")),
    ("spaced chops: the pacer thread (sends, their delivery, its sleeps)", lambda c, s: c.startswith("wsconf chop") or has(s, "ChopPacer")),
    *[(f"kernel: {name}", rule) for name, rule in kernel_rules("the harness's segments into ws's socket")],
    ("generation (FuzzGenerator, FrameMaker, Utf8Text, FuzzCase)", lambda c, s: has(s, "Fuzzing.FuzzGenerator", "Fuzzing.Utf8Text", "Fuzzing.FuzzCase", "Fuzzing.FrameMaker", "Fuzzing.Violation", "Fuzzing.FuzzRandom") and not has(s, "Fuzzing.Oracle")),
    ("oracle (Oracle, OracleWalk)", lambda c, s: has(s, "Fuzzing.Oracle")),
    ("opening handshake", lambda c, s: has(s, "ClientOpening", "HttpHeadReader", "HandshakeRequest")),
    ("frame reading and checking", lambda c, s: has(s, "FrameReceiver", "MessageAssembler", "FrameDecoder", "Monitor::On", "LatitudeMonitor")),
    ("frame building and masking", lambda c, s: has(s, "FrameSender", "PreparedFrame", "Masker", "ScriptPlayer")),
    ("judge, result, coverage, findings, campaign", lambda c, s: has(s, "Judge", "CaseRunner::Result", "ResultFactory", "FindingWriter", "Coverage", "Campaign", "WireRecorder")),
    ("GC", lambda c, s: has(s, "GCHeap", "gc_heap", "WKS::")),
]
WS = [(f"kernel: {name}", rule) for name, rule in kernel_rules("ws's segments into the harness's socket")]

def main(path):
    counts = {"harness": collections.Counter(), "ws": collections.Counter()}
    totals = collections.Counter()
    comm, stack = None, []

    def flush():
        if comm is None or comm.startswith("perf"):
            return
        side = "ws" if comm.startswith("node") or comm.startswith("libuv") or comm.startswith("V8") else "harness"
        totals[side] += 1
        for name, rule in (WS if side == "ws" else HARNESS):
            if rule(comm, stack):
                counts[side][name] += 1
                return
        counts[side]["user space, other" if side == "ws" else "runtime and other managed code"] += 1

    for line in open(path, errors="replace"):
        if not line.strip():
            continue
        if not line[0].isspace() or re.match(r"^\s{0,8}\S.*\s\d+\s*$", line) and not re.match(r"^\s+[0-9a-f]+\s", line):
            flush()
            comm, stack = line.rsplit(None, 1)[0].strip(), []
            continue
        m = re.match(r"^\s+([0-9a-f]+)\s+(.*)$", line)
        if m:
            ip, sym = m.group(1), re.sub(r"\+0x[0-9a-f]+$", "", m.group(2).strip())
            stack.append(("K:" if ip.startswith("ffffffff") else "") + sym)
    flush()
    total = sum(totals.values())
    for side in ("harness", "ws"):
        print(f"{side}: {totals[side]} samples ({100 * totals[side] / total:.1f} % of both)")
        for k, v in counts[side].most_common():
            print(f"  {100 * v / totals[side]:5.1f} %  {k}")

main(sys.argv[1] if len(sys.argv) > 1 else "/dev/stdin")
