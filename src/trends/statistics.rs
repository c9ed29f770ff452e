//! The log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008).

use serde::Serialize;

/// One item's score: the log-odds ratio of the window against the background, its estimated
/// variance and the z-score `delta / sqrt(variance)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LogOdds {
    pub delta: f64,
    pub variance: f64,
    pub z: f64,
}

/// The informative Dirichlet prior: each item's pseudo-count `alpha0 × (its share of the
/// corpus)`, so the pseudo-counts sum to `alpha0`. `corpus` is the item counts of the whole
/// corpus (window and background together).
pub fn dirichlet_prior(corpus: &[u32], alpha0: f64) -> Vec<f64> {
    let total: f64 = corpus.iter().map(|&c| f64::from(c)).sum();
    if total == 0.0 {
        return vec![0.0; corpus.len()];
    }
    corpus.iter().map(|&c| alpha0 * f64::from(c) / total).collect()
}

/// The log-odds ratio of each item in `window` against `background` with the prior pseudo-counts
/// `prior` (Monroe, Colaresi and Quinn 2008, eq. 16–19):
///
/// ```text
/// δ_w  = ln((y_w + α_w) / (n + α₀ − y_w − α_w)) − ln((b_w + α_w) / (m + α₀ − b_w − α_w))
/// σ²_w ≈ 1 / (y_w + α_w) + 1 / (b_w + α_w)
/// z_w  = δ_w / σ_w
/// ```
///
/// where `y`, `b` are the window's and background's counts, `n`, `m` their totals and `α₀` the
/// sum of the prior. An item with no prior mass and no count on one side has no defined score:
/// `None`.
pub fn log_odds(window: &[u32], background: &[u32], prior: &[f64]) -> Vec<Option<LogOdds>> {
    let n: f64 = window.iter().map(|&c| f64::from(c)).sum();
    let m: f64 = background.iter().map(|&c| f64::from(c)).sum();
    let alpha0: f64 = prior.iter().sum();
    window
        .iter()
        .zip(background)
        .zip(prior)
        .map(|((&y, &b), &a)| {
            let (y, b) = (f64::from(y), f64::from(b));
            let in_window = (y + a) / (n + alpha0 - y - a);
            let in_background = (b + a) / (m + alpha0 - b - a);
            let delta = in_window.ln() - in_background.ln();
            let variance = 1.0 / (y + a) + 1.0 / (b + a);
            let z = delta / variance.sqrt();
            (delta.is_finite() && variance.is_finite() && z.is_finite()).then_some(LogOdds {
                delta,
                variance,
                z,
            })
        })
        .collect()
}
