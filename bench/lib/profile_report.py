#!/usr/bin/env python3
"""bench/profile's report: CPU per request from /proc, CPU by thread group, and the JFR samples summarised."""
import argparse
import collections
import json
import re

COMPONENTS = [
    ("RSA/EC/EdDSA signing (AWS-LC)", ("com.amazon.corretto.crypto",)),
    ("Argon2 password hash", ("de.mkammerer.argon2", "com.sun.jna")),
    ("JOSE: JWT/JWS objects (Nimbus)", ("com.nimbusds",)),
    ("JSON (Jackson)", ("com.fasterxml.jackson",)),
    ("HTTP server (Jetty)", ("org.eclipse.jetty",)),
    ("Javalin", ("io.javalin",)),
    ("SQLite driver", ("org.sqlite",)),
    ("PostgreSQL driver", ("org.postgresql",)),
    ("Connection pool (HikariCP)", ("com.zaxxer.hikari",)),
    ("Logging (Logback)", ("ch.qos.logback", "org.slf4j")),
    ("Caches (Caffeine)", ("com.github.benmanes.caffeine",)),
    ("Templates (jte)", ("gg.jte",)),
    ("Metrics (Micrometer)", ("io.micrometer",)),
    ("Portcullis", ("dev.portcullis",)),
    ("JDK crypto (SHA, HMAC, SecureRandom)", ("sun.security", "javax.crypto", "java.security", "com.sun.crypto")),
    ("JDK other", ("java.", "jdk.", "sun.")),
]

THREAD_GROUPS = [
    ("password hashing (Argon2id)", r"^portcullis-argo"),
    ("other Portcullis threads", r"^portcullis-"),
    ("HTTP threads (Jetty pool)", r"^(qtp|JettyServerThr|http-)"),
    ("Jetty selectors/acceptors", r"(selector|acceptor)"),
    ("JIT compiler", r"^(C1|C2) Compiler"),
    ("garbage collector", r"^(GC |VM Thread|G1|Serial)"),
    ("logging (async appender)", r"(AsyncAppender|logback)"),
]


def component(frame):
    for name, prefixes in COMPONENTS:
        if frame.startswith(prefixes):
            return name
    return "other"


def frame_name(frame):
    method = frame.get("method", {})
    owner = method.get("type", {}).get("name", "?").replace("/", ".")
    return f"{owner}.{method.get('name', '?')}"


def read_threads(path):
    threads = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                threads[parts[0]] = (parts[1], int(parts[2]), int(parts[3]) if len(parts) > 3 else 0)
    return threads


def group(name):
    for label, pattern in THREAD_GROUPS:
        if re.search(pattern, name, re.IGNORECASE):
            return label
    return "other threads"


def main():
    p = argparse.ArgumentParser()
    for arg in ("scenario", "answered", "seconds", "clk-tck", "before", "after", "samples", "jdk", "openssl"):
        p.add_argument("--" + arg, required=True)
    a = p.parse_args()
    answered = int(a.answered)
    tck = float(getattr(a, "clk_tck"))
    before, after = read_threads(a.before), read_threads(a.after)
    by_group = collections.Counter()
    total_ticks = 0
    system_ticks = 0
    for tid, (name, ticks, system) in after.items():
        old = before.get(tid, (name, 0, 0))
        by_group[group(name)] += ticks - old[1]
        total_ticks += ticks - old[1]
        system_ticks += system - old[2]
    cpu_seconds = total_ticks / tck
    unit = "sign-in" if a.scenario == "pkce" else "request"
    print(f"# Profile: {a.scenario}\n")
    print(f"JDK {a.jdk}; {a.seconds} s measured; {answered:,} answered 2xx ({answered / float(a.seconds):,.0f}/s); "
          f"server CPU {cpu_seconds:.2f} s = **{1000 * cpu_seconds / max(1, answered):.3f} ms per {unit}**.")
    if a.openssl:
        sign_ms = 1000 / float(a.openssl)
        print(f"One RS256 signature (`openssl speed rsa2048`, one core): {sign_ms:.3f} ms, so this is "
              f"{cpu_seconds * 1000 / max(1, answered) / sign_ms:.2f} signatures' worth of CPU per {unit}.")
    print(f"Of it, in the kernel (system time: mostly the sockets' reads and writes): {system_ticks / tck:.2f} s = "
          f"{1000 * system_ticks / tck / max(1, answered):.3f} ms per {unit} ({100 * system_ticks / max(1, total_ticks):.0f}%).")
    hashing = by_group.get("password hashing (Argon2id)", 0)
    if a.scenario == "pkce" and answered:
        print(f"Outside the password hash: **{1000 * (total_ticks - hashing) / tck / answered:.2f} ms per sign-in** "
              f"(the hash: {1000 * hashing / tck / answered:.2f} ms per sign-in, on its own threads).")
    print("\n## CPU by thread group (/proc, the measured window)\n")
    print(f"| Threads | CPU s | share | ms per {unit} |\n|---|---:|---:|---:|")
    for label, ticks in by_group.most_common():
        if ticks:
            print(f"| {label} | {ticks / tck:.2f} | {100 * ticks / max(1, total_ticks):.1f}% | "
                  f"{1000 * ticks / tck / max(1, answered):.3f} |")

    with open(a.samples) as f:
        events = json.load(f)["recording"]["events"]
    top = collections.Counter()
    top_component = collections.Counter()
    anywhere = collections.Counter()
    total = 0
    for event in events:
        values = event["values"]
        frames = (values.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        names = [frame_name(fr) for fr in frames]
        if event["type"] == "jdk.NativeMethodSample":
            # a thread in native code is sampled whether it runs or waits: keep only what computes
            if not any(n.startswith("com.amazon.corretto.crypto") or "argon2" in n.lower() for n in names[:3]):
                continue
        total += 1
        top[names[0]] += 1
        top_component[component(names[0])] += 1
        for comp in {component(n) for n in names}:
            anywhere[comp] += 1
    print(f"\n## Flight recording: {total:,} samples of running Java code (execution samples, and native samples "
          "inside AWS-LC or Argon2)\n")
    print("Where the CPU is (top frame's component):\n")
    print("| Component | self | on the stack |\n|---|---:|---:|")
    for comp, n in top_component.most_common():
        print(f"| {comp} | {100 * n / max(1, total):.1f}% | {100 * anywhere[comp] / max(1, total):.1f}% |")
    print("\nHottest frames (top of the stack):\n")
    print("| Frame | share |\n|---|---:|")
    for frame, n in top.most_common(20):
        print(f"| `{frame}` | {100 * n / max(1, total):.1f}% |")
    print("\nGC and JIT threads are not sampled by the recorder; their CPU is in the thread table above.")


if __name__ == "__main__":
    main()
