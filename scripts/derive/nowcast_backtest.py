#!/usr/bin/env python3
"""Independent derivation of the Oryx weekly nowcast backtest checked in
crates/cli/tests/real_losses.rs (standard library only, no Frontline code;
event dates by scripts/derive/oryx_event_dates.py's rule).

The backtest of issue #11: as of each Sunday 2024-06-02 .. 2025-03-30, the
8 most recent Monday weeks, scored against the count by event week in the
whole list. Method, from docs/losses.md: a reporting triangle of 52 + 26
event weeks by delays 0..26 weeks (longer folded into 26); chain-ladder
factors (volume-weighted); the expected count = the mean chain-ladder
ultimate of the weeks 2..9 weeks old; outstanding = (1 - completeness) x
expected, negative binomial with variance phi x mean + (1 - completeness)^2
x var (phi: Pearson chi^2 of the increments over cells - rows - 26, at
least 1; var: the sample variance of those ultimates x (1 + 1/8)); 90 %
interval from its 5 % and 95 % quantiles (normal above a mean of 50).

    python3 scripts/derive/nowcast_backtest.py ../shared/data/oryx-scarnecchia
"""
import csv
import datetime as dt
import math
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from oryx_event_dates import WAR_START, url_date  # noqa: E402

MONDAY = dt.date(2024, 1, 1)
D, H, RECENT, YOUNG, OLD = 26, 52, 8, 2, 9


def week(d):
    return (d - MONDAY).days // 7


def items(folder):
    out = []
    for status in ("destroyed", "damaged", "abandoned", "captured"):
        with open(Path(folder) / f"event_{status}.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                seen = dt.date.fromisoformat(row["date_recorded"])
                kind, d = url_date(row["url"])
                if kind == "date" and WAR_START <= d <= seen:
                    out.append((week(d), week(seen)))
    return out


def quantile(mean, var, q):
    if mean < 1e-9:
        return 0.0
    var = max(var, mean)
    if mean > 50:
        z = 1.6448536269514722 * (1 if q > 0.5 else -1)
        return max(0.0, round(mean + z * math.sqrt(var)))
    if var <= mean * (1 + 1e-9):
        pmf, ratio = math.exp(-mean), lambda k: mean / (k + 1)
    else:
        r = mean * mean / (var - mean)
        p = r / (r + mean)
        pmf, ratio = p**r, lambda k: (k + r) / (k + 1) * (1 - p)
    cdf, k = pmf, 0
    while cdf < q:
        pmf *= ratio(k)
        k += 1
        cdf += pmf
    return float(k)


def nowcast(cells, now):
    """[(week, observed, chain ladder, estimate, lower, upper)] for the recent weeks."""
    first = now - (H + D) + 1
    n = H + D
    inc = [[0.0] * (D + 1) for _ in range(n)]
    for (e, delay), c in cells.items():
        if first <= e <= now and e + delay <= now:
            inc[e - first][min(delay, D)] += c
    obs = [min(now - (first + i), D) for i in range(n)]
    cum = [[sum(inc[i][: k + 1]) for k in range(obs[i] + 1)] for i in range(n)]
    f = []
    for k in range(D):
        rows = [r for r in cum if len(r) > k + 1]
        den = sum(r[k] for r in rows)
        f.append(sum(r[k + 1] for r in rows) / den if den > 0 else 1.0)
    completeness = [1 / math.prod(f[k:]) for k in range(D + 1)]
    ultimate = [cum[i][-1] / completeness[obs[i]] for i in range(n)]
    chi2 = cellsn = 0
    for i in range(n):
        for k in range(obs[i] + 1):
            m = ultimate[i] * (completeness[k] - (completeness[k - 1] if k else 0.0))
            if m > 0:
                chi2 += (inc[i][k] - m) ** 2 / m
                cellsn += 1
    phi = max(chi2 / (cellsn - n - D), 1.0) if cellsn > n + D else 1.0
    picked = [ultimate[n - 1 - a] for a in range(YOUNG, OLD + 1)]
    mean = sum(picked) / len(picked)
    spread = sum((u - mean) ** 2 for u in picked) / (len(picked) - 1) * (1 + 1 / len(picked))
    out = []
    for i in range(n - RECENT, n):
        latest = cum[i][-1]
        to_come = max(1 - completeness[obs[i]], 0.0)
        mu = to_come * mean
        var = phi * mu + to_come**2 * spread
        out.append((first + i, latest, ultimate[i], latest + mu,
                    latest + quantile(mu, var, 0.05), latest + quantile(mu, var, 0.95)))
    return out


def main(folder):
    its = items(folder)
    final = Counter(e for e, _ in its)
    cells = Counter((e, p - e) for e, p in its)
    rows = []
    for now in range(week(dt.date(2024, 6, 2)), week(dt.date(2025, 3, 30)) + 1):
        rows += [(final[r[0]],) + r for r in nowcast(cells, now)]
    mae = lambda j: sum(abs(r[j] - r[0]) for r in rows) / len(rows)  # noqa: E731
    naive, ladder, bf = mae(2), mae(3), mae(4)
    coverage = sum(r[5] <= r[0] <= r[6] for r in rows) / len(rows)
    print(f"n {len(rows)}: naive MAE {naive:.3f}; chain ladder {ladder:.3f} ({ladder / naive:.3f}x); "
          f"Bornhuetter-Ferguson {bf:.3f} ({bf / naive:.3f}x), 90 % interval coverage {coverage:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
