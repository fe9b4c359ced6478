//! Trailing rolling means.

/// The mean of each value and the `window - 1` before it; `None` until a
/// full window is available, so early values never look smoother than they
/// are.
///
/// ```
/// use frontline_analysis::rolling_mean;
/// assert_eq!(rolling_mean(&[1, 2, 3, 4], 2), vec![None, Some(1.5), Some(2.5), Some(3.5)]);
/// ```
pub fn rolling_mean(values: &[i64], window: usize) -> Vec<Option<f64>> {
    if window == 0 {
        return vec![None; values.len()];
    }
    let mut out = Vec::with_capacity(values.len());
    let mut sum: i64 = 0;
    for (i, v) in values.iter().enumerate() {
        sum += v;
        if i >= window {
            sum -= values[i - window];
        }
        out.push((i + 1 >= window).then(|| sum as f64 / window as f64));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_of_one_is_identity() {
        assert_eq!(rolling_mean(&[3, -1], 1), vec![Some(3.0), Some(-1.0)]);
    }

    #[test]
    fn zero_window_yields_nothing() {
        assert_eq!(rolling_mean(&[3, 1], 0), vec![None, None]);
    }
}
