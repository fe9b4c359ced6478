//! Chain ladder with Mack's (1993) standard errors.
//!
//! A reporting triangle has one row per origin period (here: the week of the
//! event) and one column per development step (weeks until the evidence was
//! published), holding cumulative counts; recent rows are only partly
//! observed. Volume-weighted development factors carry each row to its
//! ultimate count, and Mack's distribution-free formulas give the standard
//! error of each row's and the total's outstanding count.
//!
//! Mack, T. (1993). Distribution-free calculation of the standard error of
//! chain ladder reserve estimates. ASTIN Bulletin 23(2), 213–225.

/// Fills the σ² that have too few rows to estimate (the last development
/// steps) by log-linear extrapolation of σ over the development step, as R's
/// `MackChainLadder` and Python's `chainladder` do by default (Mack's own
/// rule, min(σ⁴ₖ₋₁/σ²ₖ₋₂, σ²ₖ₋₂, σ²ₖ₋₁), differs by 0.1 % on RAA).
fn extrapolate_sigma(sigma2: &mut [f64]) {
    let known: Vec<(f64, f64)> = sigma2
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_finite() && **s > 0.0)
        .map(|(k, s)| (k as f64, 0.5 * s.ln()))
        .collect();
    let fit = if known.len() >= 2 {
        let n = known.len() as f64;
        let (mx, my) = (
            known.iter().map(|p| p.0).sum::<f64>() / n,
            known.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let sxy: f64 = known.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let sxx: f64 = known.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let slope = if sxx > 0.0 { sxy / sxx } else { 0.0 };
        Some((my - slope * mx, slope))
    } else {
        None
    };
    for (k, s) in sigma2.iter_mut().enumerate() {
        if !s.is_finite() {
            *s = fit.map_or(0.0, |(a, b)| (2.0 * (a + b * k as f64)).exp());
        }
    }
}

/// Cumulative counts; `rows[i]` holds the observed development steps of
/// origin `i` (0, 1, … up to its latest), all rows the same width at most.
#[derive(Debug, Clone, PartialEq)]
pub struct Triangle {
    /// Observed cumulative values per row.
    pub rows: Vec<Vec<f64>>,
    /// Number of development steps (columns).
    pub width: usize,
}

/// A fitted chain ladder.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainLadder {
    /// Development factors f_0 … f_{width−2}.
    pub factors: Vec<f64>,
    /// Mack's σ²_k.
    pub sigma2: Vec<f64>,
    /// Latest observed value per row.
    pub latest: Vec<f64>,
    /// Projected ultimate per row.
    pub ultimate: Vec<f64>,
    /// Standard error of each row's outstanding amount.
    pub se: Vec<f64>,
    /// Standard error of the total outstanding amount.
    pub total_se: f64,
}

impl ChainLadder {
    /// Fits factors and Mack's errors.
    pub fn fit(t: &Triangle) -> Self {
        let m = t.width;
        let last = |i: usize| t.rows[i].len().saturating_sub(1);
        let n = t.rows.len();
        let mut factors = vec![1.0; m.saturating_sub(1)];
        let mut sums = vec![0.0; m.saturating_sub(1)];
        for (k, f) in factors.iter_mut().enumerate() {
            let (mut num, mut den) = (0.0, 0.0);
            for r in t.rows.iter().filter(|r| r.len() > k + 1) {
                num += r[k + 1];
                den += r[k];
            }
            sums[k] = den;
            if den > 0.0 {
                *f = num / den;
            }
        }
        let mut sigma2 = vec![f64::NAN; factors.len()];
        for k in 0..factors.len() {
            let rows: Vec<&Vec<f64>> = t.rows.iter().filter(|r| r.len() > k + 1 && r[k] > 0.0).collect();
            if rows.len() > 1 {
                let s: f64 = rows.iter().map(|r| r[k] * (r[k + 1] / r[k] - factors[k]).powi(2)).sum();
                sigma2[k] = s / (rows.len() - 1) as f64;
            }
        }
        extrapolate_sigma(&mut sigma2);
        // Projections Ĉ_{i,k} for every k ≥ latest.
        let proj: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                let mut v = t.rows[i].clone();
                if v.is_empty() {
                    v.push(0.0);
                }
                while v.len() < m {
                    let k = v.len() - 1;
                    v.push(v[k] * factors[k]);
                }
                v
            })
            .collect();
        let latest: Vec<f64> = (0..n).map(|i| t.rows[i].last().copied().unwrap_or(0.0)).collect();
        let ultimate: Vec<f64> = proj.iter().map(|v| v[m - 1]).collect();
        let term = |k: usize| {
            if factors[k] > 0.0 {
                sigma2[k] / (factors[k] * factors[k])
            } else {
                0.0
            }
        };
        let mse: Vec<f64> = (0..n)
            .map(|i| {
                let s: f64 = (last(i)..m - 1)
                    .map(|k| {
                        let a = if proj[i][k] > 0.0 { 1.0 / proj[i][k] } else { 0.0 };
                        let b = if sums[k] > 0.0 { 1.0 / sums[k] } else { 0.0 };
                        term(k) * (a + b)
                    })
                    .sum();
                ultimate[i] * ultimate[i] * s
            })
            .collect();
        let mut total = mse.iter().sum::<f64>();
        for i in 0..n {
            let younger: f64 = (0..n).filter(|&j| last(j) < last(i)).map(|j| ultimate[j]).sum();
            let s: f64 = (last(i)..m - 1)
                .map(|k| if sums[k] > 0.0 { 2.0 * term(k) / sums[k] } else { 0.0 })
                .sum();
            total += ultimate[i] * younger * s;
        }
        ChainLadder {
            factors,
            sigma2,
            latest,
            ultimate,
            se: mse.iter().map(|v| v.sqrt()).collect(),
            total_se: total.sqrt(),
        }
    }

    /// Share of a row's ultimate expected to be in by development step `k`
    /// (1 / the product of the factors from `k` on).
    pub fn completeness(&self, k: usize) -> f64 {
        let tail: f64 = self.factors.iter().skip(k).product();
        if tail > 0.0 { 1.0 / tail } else { 1.0 }
    }

    /// The over-dispersed Poisson scale φ of the triangle `t` this ladder was
    /// fitted on: Pearson's χ² of the observed increments against the
    /// increments the ladder expects (ultimate × the share due in that
    /// step), over the degrees of freedom (cells − rows − steps + 1), as in
    /// England & Verrall (2002), §2.3. 1 when there are too few cells.
    pub fn dispersion(&self, t: &Triangle) -> f64 {
        let due = |k: usize| self.completeness(k) - if k == 0 { 0.0 } else { self.completeness(k - 1) };
        let (mut chi2, mut cells) = (0.0, 0usize);
        for (i, row) in t.rows.iter().enumerate() {
            let mut before = 0.0;
            for (k, c) in row.iter().enumerate() {
                let m = self.ultimate[i] * due(k);
                if m > 0.0 {
                    chi2 += (c - before - m).powi(2) / m;
                    cells += 1;
                }
                before = *c;
            }
        }
        let params = t.rows.len() + t.width.saturating_sub(1);
        if cells > params {
            (chi2 / (cells - params) as f64).max(1.0)
        } else {
            1.0
        }
    }
}
