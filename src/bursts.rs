//! Bursts: when a term starts and stops being frequent, over the whole archive issue by issue,
//! by Kleinberg's two-state burst detection ("Bursty and Hierarchical Structure in Streams",
//! 2002, the batched form of section 4). Read by `trends` for its rising terms and its stories,
//! so "since when" and "still going" have answers.
//!
//! Each issue t holds `d_t` entries, `r_t` of them with the term. The base state emits the term
//! at the archive's rate `p0 = Σr / Σd`, the burst state at `p1 = s · p0`. The cost of issue t in
//! state i is `−ln(p_i^r_t (1 − p_i)^(d_t − r_t))` (the binomial coefficient is the same in both
//! states and drops out); entering the burst state costs `γ ln n` for `n` issues, leaving it is
//! free. The cheapest state sequence (Viterbi) marks the bursts.

use serde::Serialize;

/// The burst state's rate as a multiple of the base rate (Kleinberg's `s`).
pub const SCALE: f64 = 2.0;
/// The weight of the cost of entering a burst (Kleinberg's `γ`).
pub const GAMMA: f64 = 1.0;

/// The burst states of each period: `true` where the term bursts. `hits[t]` of `totals[t]`
/// entries hold the term.
pub fn states(hits: &[u32], totals: &[u32]) -> Vec<bool> {
    let n = hits.len().min(totals.len());
    let r: f64 = hits[..n].iter().map(|&x| f64::from(x)).sum();
    let d: f64 = totals[..n].iter().map(|&x| f64::from(x)).sum();
    if n == 0 || r == 0.0 || d == 0.0 {
        return vec![false; n];
    }
    let p0 = (r / d).clamp(1e-9, 1.0 - 1e-9);
    let p1 = (SCALE * p0).min(1.0 - 1e-9);
    let cost = |p: f64, t: usize| {
        let (r, d) = (f64::from(hits[t]), f64::from(totals[t]));
        -(r * p.ln() + (d - r) * (1.0 - p).ln())
    };
    let up = GAMMA * (n as f64).ln();
    // best[i]: the cheapest cost of the first t periods ending in state i; from[t][i]: the state
    // before it.
    let mut best = [cost(p0, 0), up + cost(p1, 0)];
    let mut from = vec![[0usize; 2]; n];
    for (t, previous) in from.iter_mut().enumerate().skip(1) {
        let stay0 = best[0];
        let down = best[1];
        let (c0, f0) = if stay0 <= down { (stay0, 0) } else { (down, 1) };
        let rise = best[0] + up;
        let stay1 = best[1];
        let (c1, f1) = if stay1 <= rise { (stay1, 1) } else { (rise, 0) };
        best = [c0 + cost(p0, t), c1 + cost(p1, t)];
        *previous = [f0, f1];
    }
    let mut state = if best[0] <= best[1] { 0 } else { 1 };
    let mut out = vec![false; n];
    for t in (0..n).rev() {
        out[t] = state == 1;
        state = from[t][state];
    }
    out
}

/// A term's burst: the issues it spans, and whether it reaches the last issue looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Burst {
    pub since_issue: u32,
    pub until_issue: u32,
    /// The burst reaches the last issue considered (the window's last): still going.
    pub ongoing: bool,
}

/// The last burst of `states` (one per issue of `numbers`, in order) that reaches `from_issue`
/// or later: the burst behind a rise in a window starting there.
pub fn last_burst(numbers: &[u32], states: &[bool], from_issue: u32) -> Option<Burst> {
    let n = numbers.len().min(states.len());
    let end = (0..n).rev().find(|&t| states[t])?;
    if numbers[end] < from_issue {
        return None;
    }
    let start = (0..=end).rev().take_while(|&t| states[t]).last().unwrap_or(end);
    Some(Burst {
        since_issue: numbers[start],
        until_issue: numbers[end],
        ongoing: end + 1 == n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_term_never_bursts() {
        let hits = vec![2u32; 50];
        let totals = vec![20u32; 50];
        assert!(states(&hits, &totals).iter().all(|&b| !b));
    }

    #[test]
    fn a_term_that_turns_frequent_bursts_from_then_on() {
        // 1 in 20 for 40 issues, then 6 in 20 for the last 10.
        let mut hits = vec![1u32; 40];
        hits.extend([6u32; 10]);
        let totals = vec![20u32; 50];
        let s = states(&hits, &totals);
        assert!(s[..40].iter().all(|&b| !b));
        assert!(s[40..].iter().all(|&b| b));
        let numbers: Vec<u32> = (101..151).collect();
        assert_eq!(
            last_burst(&numbers, &s, 139),
            Some(Burst {
                since_issue: 141,
                until_issue: 150,
                ongoing: true
            })
        );
    }

    #[test]
    fn a_burst_that_ended_is_not_ongoing_and_one_before_the_window_is_not_its_burst() {
        let mut hits = vec![1u32; 20];
        hits.extend([8u32; 8]);
        hits.extend([1u32; 22]);
        let totals = vec![20u32; 50];
        let s = states(&hits, &totals);
        let numbers: Vec<u32> = (1..=50).collect();
        let burst = last_burst(&numbers, &s, 10).expect("a burst");
        assert_eq!(
            (burst.since_issue, burst.until_issue, burst.ongoing),
            (21, 28, false)
        );
        assert_eq!(last_burst(&numbers, &s, 40), None);
    }

    #[test]
    fn one_stray_issue_does_not_pay_for_a_burst() {
        let mut hits = vec![1u32; 50];
        hits[25] = 3;
        let totals = vec![20u32; 50];
        assert!(states(&hits, &totals).iter().all(|&b| !b));
    }
}
