#!/usr/bin/env python3
"""Turns bench/run's raw measurements into the Markdown + JSON report.

Usage: report.py META_JSON MEASUREMENTS_JSONL [--md OUT.md] [--json OUT.json] [--quick]
Prints the Markdown to stdout. Exit status 3 when a Portcullis measurement saw a non-2xx
response or a socket error (bench/run --quick relies on this), 0 otherwise.
"""
import argparse
import json
import sys

TARGETS = {
    "ratio_vs_node": 1.5,      # client_credentials and OBO tokens/s vs node-oidc-provider client_credentials
    "p99_ms": 10.0,
    "ceiling_fraction": 0.70,  # of the machine's RS256 signing ceiling
    "start_s": 1.5,
    "rss_mb": 256.0,
    "pkce_vs_keycloak": 3.0,
}

SCENARIO_TITLES = {
    "client_credentials": "client_credentials",
    "obo": "On-Behalf-Of",
    "jwks": "JWKS GET",
    "pkce": "PKCE sign-in",
}


def load(meta_path, meas_path):
    with open(meta_path) as f:
        meta = json.load(f)
    rows = []
    with open(meas_path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return meta, rows


def derive(m):
    """Per-measurement derived figures."""
    w = m["load"]
    dur_s = w["duration_us"] / 1e6
    socket_errors = w["connect_errors"] + w["read_errors"] + w["write_errors"] + w["timeouts"]
    ok = max(0, w["requests"] - w["non2xx"])
    cpu_s = m["cpu_ticks"] / m["clk_tck"]
    return {
        "ok_per_s": ok / dur_s if dur_s > 0 else 0.0,
        "p50_ms": w["p50_us"] / 1000.0,
        "p99_ms": w["p99_us"] / 1000.0,
        "p999_ms": w["p999_us"] / 1000.0,
        "non2xx": w["non2xx"],
        "socket_errors": socket_errors,
        "cpu_s": cpu_s,
        "cpu_s_per_1k": (cpu_s / ok * 1000.0) if ok else None,
        "peak_rss_mb": max(m.get("peak_rss_kb", 0), 0) / 1024.0,
        "hwm_mb": m.get("hwm_kb", 0) / 1024.0,
        "loadavg_before": m.get("loadavg_before"),
        "round": m["round"],
        "requests": w["requests"],
        # A measured window in which not one request completed or failed: the server hung.
        "stalled": w["requests"] == 0,
    }


def aggregate(meta, raw):
    """Groups by row key; picks the best round by successful tokens/s."""
    groups = {}
    order = []
    for m in raw:
        key = (m["scenario"], m["server"], m["variant"])
        if key not in groups:
            groups[key] = {"scenario": m["scenario"], "server": m["server"], "variant": m["variant"],
                           "label": m["label"], "note": m.get("note", ""), "rounds": []}
            order.append(key)
        groups[key]["rounds"].append(derive(m))
    rows = []
    for key in order:
        g = groups[key]
        best = max(g["rounds"], key=lambda r: r["ok_per_s"])
        server = meta["servers"].get(g["server"], {})
        rows.append({
            "scenario": g["scenario"], "server": g["server"], "variant": g["variant"],
            "label": g["label"], "note": g["note"],
            "portcullis": g["server"].startswith("portcullis"),
            "tokens_per_s": best["ok_per_s"],
            "p50_ms": best["p50_ms"], "p99_ms": best["p99_ms"], "p999_ms": best["p999_ms"],
            "cpu_s_per_1k": best["cpu_s_per_1k"],
            "best_round": best["round"],
            "non2xx_all_rounds": sum(r["non2xx"] for r in g["rounds"]),
            "socket_errors_all_rounds": sum(r["socket_errors"] for r in g["rounds"]),
            "stalled_rounds": [r["round"] for r in g["rounds"] if r["stalled"]],
            "peak_rss_mb": max(r["peak_rss_mb"] for r in g["rounds"]),
            "process_hwm_mb": max(r["hwm_mb"] for r in g["rounds"]),
            "start_to_first_token_s": server.get("start_to_first_token_s"),
            "rounds": g["rounds"],
        })
    return rows


def find(rows, scenario, server, variant=None):
    for r in rows:
        if r["scenario"] == scenario and r["server"] == server and (variant is None or r["variant"] == variant):
            return r
    return None


def mark(ok):
    if ok is None:
        return "n/a"
    return "met" if ok else "MISSED"


def evaluate_targets(meta, rows):
    """Per Portcullis server: list of {target, value, met}."""
    ceiling = meta.get("signing_ceiling", {}).get("sign_per_s_total")
    node = find(rows, "client_credentials", "oidc-provider")
    node_tps = node["tokens_per_s"] if node else None
    kc_pkce = find(rows, "pkce", "keycloak")
    out = {}
    for server in [s for s in meta["servers"] if s.startswith("portcullis")]:
        t = []
        for scen in ("client_credentials", "obo"):
            r = find(rows, scen, server)
            title = SCENARIO_TITLES[scen]
            if r is None:
                t.append({"target": f"{title} measured", "value": "not run", "met": False})
                continue
            ratio = r["tokens_per_s"] / node_tps if node_tps else None
            t.append({"target": f"{title} tokens/s >= 1.5x node-oidc-provider client_credentials",
                      "value": f"{ratio:.2f}x" if ratio is not None else "no node-oidc-provider run",
                      "met": (ratio >= TARGETS["ratio_vs_node"]) if ratio is not None else None})
            t.append({"target": f"{title} p99 <= 10 ms", "value": f"{r['p99_ms']:.2f} ms",
                      "met": r["p99_ms"] <= TARGETS["p99_ms"]})
            errs = r["non2xx_all_rounds"] + r["socket_errors_all_rounds"]
            stalls = r["stalled_rounds"]
            t.append({"target": f"{title} zero errors", "met": errs == 0 and not stalls,
                      "value": str(errs) + (f" + stalled in round {', '.join(map(str, stalls))} (no response)" if stalls else "")})
            frac = r["tokens_per_s"] / ceiling if ceiling else None
            t.append({"target": f"{title} >= 70% of RS256 signing ceiling",
                      "value": f"{frac * 100:.1f}%" if frac is not None else "no ceiling",
                      "met": (frac >= TARGETS["ceiling_fraction"]) if frac is not None else None})
            t.append({"target": f"{title} RSS under load <= 256 MB", "value": f"{r['peak_rss_mb']:.0f} MB",
                      "met": r["peak_rss_mb"] <= TARGETS["rss_mb"]})
        start = meta["servers"][server].get("start_to_first_token_s")
        t.append({"target": "start to first token <= 1.5 s",
                  "value": f"{start:.2f} s" if start is not None else "did not start",
                  "met": (start <= TARGETS["start_s"]) if start is not None else False})
        pk = find(rows, "pkce", server)
        if pk is None:
            t.append({"target": "PKCE sign-ins/s >= 3x Keycloak", "value": "PKCE sign-in not run", "met": False})
        elif kc_pkce and kc_pkce["tokens_per_s"]:
            ratio = pk["tokens_per_s"] / kc_pkce["tokens_per_s"]
            t.append({"target": "PKCE sign-ins/s >= 3x Keycloak",
                      "value": f"{ratio:.2f}x ({pk['tokens_per_s']:.1f} vs {kc_pkce['tokens_per_s']:.1f}/s)",
                      "met": ratio >= TARGETS["pkce_vs_keycloak"]})
        else:
            t.append({"target": "PKCE sign-ins/s >= 3x Keycloak",
                      "value": "no Keycloak PKCE sign-in run", "met": None})
        if pk is not None:
            errs = pk["non2xx_all_rounds"] + pk["socket_errors_all_rounds"]
            stalls = pk["stalled_rounds"]
            t.append({"target": "PKCE sign-in zero errors", "met": errs == 0 and not stalls,
                      "value": str(errs) + (f" + stalled in round {', '.join(map(str, stalls))}" if stalls else "")})
        out[server] = t
    return out


def ratios(rows):
    """Portcullis tokens/s divided by each peer's, per scenario."""
    out = []
    peers_for = {
        "client_credentials": [("keycloak", None), ("oidc-provider", None)],
        "obo": [("keycloak", "token-exchange"), ("keycloak", "password"), ("oidc-provider", "cc-reference")],
        "jwks": [("keycloak", None), ("oidc-provider", None)],
        "pkce": [("keycloak", None)],
    }
    for r in rows:
        if not r["portcullis"]:
            continue
        for peer, variant in peers_for.get(r["scenario"], []):
            if variant == "cc-reference":
                p = find(rows, "client_credentials", peer)
                peer_label = "node-oidc-provider client_credentials (target reference)"
            else:
                p = find(rows, r["scenario"], peer, variant)
                peer_label = (p["label"] + (f" — {p['note']}" if p["note"] else "")) if p else None
            if p and p["tokens_per_s"]:
                out.append({"scenario": r["scenario"], "portcullis": r["label"], "peer": peer_label,
                            "ratio": r["tokens_per_s"] / p["tokens_per_s"]})
    return out


def fmt(v, spec="{:.2f}", none="-"):
    return none if v is None else spec.format(v)


def row_targets_cell(r, targets):
    if r["portcullis"] and r["scenario"] == "pkce":
        cells = []
        for t in targets.get(r["server"], []):
            if t["target"].startswith("PKCE sign-ins/s"):
                cells.append(f"3x Keycloak {mark(t['met'])}")
            elif t["target"] == "PKCE sign-in zero errors":
                cells.append(f"0 err {mark(t['met'])}")
        return "; ".join(cells)
    if not r["portcullis"] or r["scenario"] not in ("client_credentials", "obo"):
        return ""
    title = SCENARIO_TITLES[r["scenario"]]
    short = {"1.5x node": "1.5x node", "p99 <= 10 ms": "p99", "zero errors": "0 err",
             "70% of RS256": "70% ceiling", "RSS under load": "RSS"}
    cells = []
    for t in targets.get(r["server"], []):
        name = t["target"]
        if name.startswith(title):
            for needle, s in short.items():
                if needle in name:
                    cells.append(f"{s} {mark(t['met'])}")
        elif name.startswith("start to first token"):
            cells.append(f"start {mark(t['met'])}")
    return "; ".join(cells)


def markdown(meta, rows, targets, rats, quick):
    m = meta
    L = []
    L.append(f"# Portcullis benchmark {m['timestamp']}" + (" (quick)" if quick else ""))
    L.append("")
    L.append(f"- Date (UTC): {m['date']}")
    L.append(f"- Machine: {m['nproc']} CPUs, {m['cpu_model']}, {m['mem_total']} memory; "
             f"load average before the run {m.get('loadavg_start', '?')}")
    L.append(f"- JDK (Portcullis): {m.get('jdk_portcullis') or '?'}; JDK (Keycloak): {m.get('jdk_keycloak') or '-'}; "
             f"Node: {m.get('node_version') or '-'}")
    peers = []
    if m.get("keycloak_version"):
        peers.append(f"Keycloak {m['keycloak_version']} (kc.sh start --optimized, dev-file store, default JVM options, "
                     "features token-exchange,admin-fine-grained-authz:v1)")
    if m.get("oidc_provider_version"):
        peers.append(f"node-oidc-provider {m['oidc_provider_version']} (one Node process, in-memory adapter, JWT access tokens)")
    L.append("- Peers: " + ("; ".join(peers) if peers else "none (quick mode)"))
    threads = (f"{m['connections']} client threads" if str(m["loadgen"]).startswith("java")
               else f"{m['threads']} threads")
    L.append(f"- Load: {m['loadgen']}, {m['connections']} connections, {threads}, "
             f"{m['warmup_s']} s warm-up + {m['duration_s']} s measured per run, {m['rounds']} round(s) "
             f"alternating server order; figures are from the **best round by tokens/s** "
             f"(non-2xx counts are summed over all rounds, peak RSS is the maximum over all rounds; a round in "
             f"which no request completed is flagged in the non-2xx column)")
    for sid, srv in m.get("servers", {}).items():
        if srv.get("jvm_flags"):
            L.append(f"- JVM options in effect, {srv['label']}: `{srv['jvm_flags']}`")
    c = m.get("signing_ceiling", {})
    if c.get("sign_per_s_total"):
        L.append(f"- RS256 signing ceiling: `openssl speed -seconds {c['seconds']} rsa2048` = "
                 f"{c['sign_per_s_one_core']:.0f} sign/s per core x {m['nproc']} = **{c['sign_per_s_total']:.0f} sign/s**")
    if m.get("notes"):
        for n in m["notes"]:
            L.append(f"- Note: {n}")
    L.append("")
    L.append("| Scenario | Server | tokens/s | p50 ms | p99 ms | p99.9 ms | non-2xx | CPU s / 1k tokens "
             "| peak RSS MB | start to first token s | % of RS256 ceiling | Targets |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    ceiling = c.get("sign_per_s_total")
    for r in rows:
        pct = ""
        if r["scenario"] in ("client_credentials", "obo") and ceiling:
            pct = f"{r['tokens_per_s'] / ceiling * 100:.1f}%"
        label = r["label"] + (f" — {r['note']}" if r["note"] else "")
        errs = r["non2xx_all_rounds"]
        if r["socket_errors_all_rounds"]:
            errs = f"{errs} (+{r['socket_errors_all_rounds']} socket)"
        if r["stalled_rounds"]:
            errs = f"{errs}; round {', '.join(map(str, r['stalled_rounds']))}: no response at all"
        tps = f"{r['tokens_per_s']:.1f}" if r["tokens_per_s"] < 100 else f"{r['tokens_per_s']:.0f}"
        L.append(f"| {SCENARIO_TITLES.get(r['scenario'], r['scenario'])} | {label} | {tps} | "
                 f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['p999_ms']:.2f} | {errs} | "
                 f"{fmt(r['cpu_s_per_1k'], '{:.3f}')} | {r['peak_rss_mb']:.0f} | "
                 f"{fmt(r['start_to_first_token_s'])} | {pct} | {row_targets_cell(r, targets)} |")
    for s in m.get("skipped", []):
        L.append(f"| {s['scenario']} | {s['server']} | - | - | - | - | - | - | - | - | - | not run: {s['reason']} |")
    L.append("")
    if any(r["scenario"] == "pkce" for r in rows):
        L.append(f"PKCE sign-in rows count **complete sign-ins/s** and their CPU is per 1k sign-ins: each sign-in "
                 f"starts with no cookies (a new user session, password verified) and runs every step until the "
                 f"access token (Portcullis: authorize, login, authorize again, token — consent skipped; Keycloak: "
                 f"auth, login, token — consent not required); latency is the whole sign-in, non-2xx counts failed "
                 f"sign-ins (any unexpected status). Load: bench/pkce/PkceLoad.java, "
                 f"{m.get('pkce_workers', m['connections'])} closed-loop workers (JDK HttpClient, keep-alive), "
                 f"on the same 2 CPUs as the server.".replace("the same 2 CPUs", f"the same {m['nproc']} CPUs"))
        L.append("")
    L.append("JWKS rows count requests/s (no token is issued). CPU is utime+stime of the server process "
             "and its children over the measured window; peak RSS is sampled VmRSS (process tree) during the "
             "measured window. Start to first token: from launching the server process to the first HTTP 200 "
             "from its token endpoint (Keycloak: admin-cli password grant on the master realm, its earliest "
             "possible token; the launchers' build steps are done before and not counted).")
    if rats:
        L.append("")
        L.append("## Portcullis / peer ratios (tokens/s)")
        L.append("")
        L.append("| Scenario | Portcullis | Peer | Ratio |")
        L.append("|---|---|---|---:|")
        for x in rats:
            L.append(f"| {SCENARIO_TITLES.get(x['scenario'], x['scenario'])} | {x['portcullis']} | {x['peer']} | {x['ratio']:.2f}x |")
    L.append("")
    L.append("## Targets")
    L.append("")
    servers = list(targets)
    if servers:
        L.append("| Target | " + " | ".join(m["servers"][s]["label"] for s in servers) + " |")
        L.append("|---|" + "---|" * len(servers))
        names = [t["target"] for t in targets[servers[0]]]
        for i, name in enumerate(names):
            cells = []
            for s in servers:
                t = targets[s][i] if i < len(targets[s]) else None
                cells.append(f"{mark(t['met'])} ({t['value']})" if t else "-")
            L.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("meta")
    ap.add_argument("measurements")
    ap.add_argument("--md")
    ap.add_argument("--json")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    meta, raw = load(a.meta, a.measurements)
    rows = aggregate(meta, raw)
    targets = evaluate_targets(meta, rows)
    rats = ratios(rows)
    md = markdown(meta, rows, targets, rats, a.quick)
    sys.stdout.write(md)
    if a.md:
        with open(a.md, "w") as f:
            f.write(md)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"meta": meta, "targets_definition": TARGETS, "results": rows,
                       "ratios": rats, "targets": targets, "raw": raw}, f, indent=2)
            f.write("\n")
    bad = [r for r in rows if r["portcullis"]
           and (r["non2xx_all_rounds"] or r["socket_errors_all_rounds"] or r["stalled_rounds"])]
    for r in bad:
        print(f"report: {r['label']} {r['scenario']}: {r['non2xx_all_rounds']} non-2xx, "
              f"{r['socket_errors_all_rounds']} socket errors, stalled rounds {r['stalled_rounds']}", file=sys.stderr)
    return 3 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
