#!/usr/bin/env python3
"""Draws ops/soak's soak.csv as one PNG: throughput, latency, resident memory and table sizes over time."""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(source, target):
    with open(source, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit("no samples in " + source)
    minutes = [float(r["seconds"]) / 60 for r in rows]

    def column(name):
        return [float(r[name]) if r[name] not in ("", "NaN") else float("nan") for r in rows]

    tables = [name for name in rows[0].keys() if name in (
        "browser_sessions", "authorization_codes", "refresh_families", "refresh_tokens")]
    fig, axes = plt.subplots(4, 1, figsize=(10, 11), sharex=True)
    fig.suptitle("Portcullis soak: two instances on PostgreSQL behind HAProxy", fontsize=13)

    axes[0].plot(minutes, column("requests_per_s"), color="tab:blue", label="requests/s")
    axes[0].set_ylabel("requests / s")
    axes[0].set_ylim(bottom=0)
    axes[0].legend(loc="lower right")

    axes[1].plot(minutes, column("p50_ms"), color="tab:green", label="p50")
    axes[1].plot(minutes, column("p99_ms"), color="tab:orange", label="p99")
    axes[1].plot(minutes, column("p999_ms"), color="tab:red", linewidth=0.8, alpha=0.6, label="p99.9")
    axes[1].set_ylabel("latency, ms (per window)")
    axes[1].set_yscale("log")
    axes[1].legend(loc="upper right")

    axes[2].plot(minutes, column("rss_a_mb"), label="instance a")
    axes[2].plot(minutes, column("rss_b_mb"), label="instance b")
    axes[2].set_ylabel("resident memory, MB")
    axes[2].set_ylim(bottom=0)
    axes[2].legend(loc="lower right")

    for name in tables:
        axes[3].plot(minutes, column(name), label=name)
    axes[3].set_ylabel("rows")
    axes[3].set_xlabel("minutes")
    axes[3].legend(loc="upper left", fontsize=8)

    for ax in axes:
        ax.grid(True, alpha=0.3)
        ax.axvspan(0, 2, color="grey", alpha=0.1)
    axes[0].text(1, 0.05, "warm-up", transform=axes[0].get_xaxis_transform(), ha="center", fontsize=8, color="grey")
    fig.tight_layout()
    fig.savefig(target, dpi=90)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
