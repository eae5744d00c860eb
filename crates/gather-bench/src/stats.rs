//! Statistics over samples: point estimates with bootstrap confidence intervals, Tukey's
//! outlier fences, and the comparison of two runs. Written out here (no dependency) and tested
//! against values computed by hand.

/// A small, fast, deterministic generator (SplitMix64): bootstrap results are reproducible
/// from run to run for the same samples.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is far below what matters here).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

pub(crate) fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample standard deviation (n − 1 in the denominator).
pub(crate) fn std_dev(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let m = mean(xs);
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    (ss / (xs.len() - 1) as f64).sqrt()
}

/// The median; reorders `xs`.
pub(crate) fn median_in_place(xs: &mut [f64]) -> f64 {
    let n = xs.len();
    let mid = n / 2;
    let (_, &mut upper, _) = xs.select_nth_unstable_by(mid, f64::total_cmp);
    if n % 2 == 1 {
        upper
    } else {
        // The largest of the lower half.
        let lower = xs[..mid].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

pub(crate) fn median(xs: &[f64]) -> f64 {
    median_in_place(&mut xs.to_vec())
}

/// Median absolute deviation, scaled by 1.4826 so that it estimates the standard deviation of
/// normally distributed data (the convention criterion and R follow); reorders `xs`.
pub(crate) fn mad_in_place(xs: &mut [f64], median: f64) -> f64 {
    for x in xs.iter_mut() {
        *x = (*x - median).abs();
    }
    1.4826 * median_in_place(xs)
}

/// Quantile `q` of sorted data, with linear interpolation between order statistics (R's type 7).
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// A point estimate and its confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The statistic of the samples themselves.
    pub point: f64,
    /// Lower end of the confidence interval.
    pub lo: f64,
    /// Upper end of the confidence interval.
    pub hi: f64,
}

/// The four estimates gather-bench reports, per iteration, in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Estimates {
    pub mean: Estimate,
    pub median: Estimate,
    pub std_dev: Estimate,
    pub mad: Estimate,
}

/// Percentile bootstrap: `resamples` resamples with replacement of `xs`; the interval holds the
/// middle `confidence` of each statistic's bootstrap distribution.
pub(crate) fn bootstrap(xs: &[f64], resamples: usize, confidence: f64, seed: u64) -> Estimates {
    let n = xs.len();
    let mut rng = Rng::new(seed);
    let mut means = Vec::with_capacity(resamples);
    let mut medians = Vec::with_capacity(resamples);
    let mut sds = Vec::with_capacity(resamples);
    let mut mads = Vec::with_capacity(resamples);
    let mut buf = vec![0.0; n];
    for _ in 0..resamples {
        for slot in buf.iter_mut() {
            *slot = xs[rng.below(n)];
        }
        means.push(mean(&buf));
        sds.push(std_dev(&buf));
        let med = median_in_place(&mut buf);
        medians.push(med);
        mads.push(mad_in_place(&mut buf, med));
    }
    let med = median(xs);
    let points = [
        mean(xs),
        med,
        std_dev(xs),
        mad_in_place(&mut xs.to_vec(), med),
    ];
    let mut out = [Estimate {
        point: 0.0,
        lo: 0.0,
        hi: 0.0,
    }; 4];
    for (i, dist) in [means, medians, sds, mads].into_iter().enumerate() {
        let (lo, hi) = interval(dist, confidence);
        out[i] = Estimate {
            point: points[i],
            lo,
            hi,
        };
    }
    Estimates {
        mean: out[0],
        median: out[1],
        std_dev: out[2],
        mad: out[3],
    }
}

/// The middle `confidence` of a bootstrap distribution.
fn interval(mut dist: Vec<f64>, confidence: f64) -> (f64, f64) {
    if dist.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    dist.sort_unstable_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    (
        quantile_sorted(&dist, tail),
        quantile_sorted(&dist, 1.0 - tail),
    )
}

/// Samples outside Tukey's fences: mild beyond 1.5 interquartile ranges from the quartiles,
/// severe beyond 3. Reported, not removed (a slow sample is information about the code).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Outliers {
    pub low_severe: usize,
    pub low_mild: usize,
    pub high_mild: usize,
    pub high_severe: usize,
}

impl Outliers {
    pub(crate) fn total(&self) -> usize {
        self.low_severe + self.low_mild + self.high_mild + self.high_severe
    }
}

pub(crate) fn tukey(xs: &[f64]) -> Outliers {
    let mut sorted = xs.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let q1 = quantile_sorted(&sorted, 0.25);
    let q3 = quantile_sorted(&sorted, 0.75);
    let iqr = q3 - q1;
    let mut out = Outliers::default();
    for &x in xs {
        if x < q1 - 3.0 * iqr {
            out.low_severe += 1;
        } else if x < q1 - 1.5 * iqr {
            out.low_mild += 1;
        } else if x > q3 + 3.0 * iqr {
            out.high_severe += 1;
        } else if x > q3 + 1.5 * iqr {
            out.high_mild += 1;
        }
    }
    out
}

/// The verdict of a comparison with a baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    Improved,
    Regressed,
    NoChange,
}

impl Verdict {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Verdict::Improved => "improved",
            Verdict::Regressed => "regressed",
            Verdict::NoChange => "no change",
        }
    }
}

/// A run compared with a baseline: the relative change of the median time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Change {
    /// `median(new) / median(old) - 1`, with a bootstrap interval.
    pub ratio: Estimate,
    /// Two-sided p-value of a permutation test of "same distribution" on the difference of
    /// medians.
    pub p_value: f64,
    pub verdict: Verdict,
}

/// Compares `new` samples with `old` ones. The change is significant when the permutation test
/// rejects "no difference" at `significance` and the whole interval of the change lies beyond
/// ±`noise` (a relative change, 0.02 = 2%): a real but tiny change is no change worth reporting.
pub(crate) fn compare(
    new: &[f64],
    old: &[f64],
    resamples: usize,
    confidence: f64,
    significance: f64,
    noise: f64,
    seed: u64,
) -> Change {
    let mut rng = Rng::new(seed);
    let (med_new, med_old) = (median(new), median(old));
    let point = med_new / med_old - 1.0;

    let mut ratios = Vec::with_capacity(resamples);
    let mut a = vec![0.0; new.len()];
    let mut b = vec![0.0; old.len()];
    for _ in 0..resamples {
        for slot in a.iter_mut() {
            *slot = new[rng.below(new.len())];
        }
        for slot in b.iter_mut() {
            *slot = old[rng.below(old.len())];
        }
        ratios.push(median_in_place(&mut a) / median_in_place(&mut b) - 1.0);
    }
    let (lo, hi) = interval(ratios, confidence);

    // Permutation test: under "no difference", the labels new/old are exchangeable.
    let observed = (med_new - med_old).abs();
    let mut pooled: Vec<f64> = new.iter().chain(old).copied().collect();
    let mut at_least = 0usize;
    for _ in 0..resamples {
        // Partial Fisher-Yates: the first `new.len()` slots become a random subset.
        for i in 0..new.len() {
            let j = i + rng.below(pooled.len() - i);
            pooled.swap(i, j);
        }
        let (x, y) = pooled.split_at(new.len());
        let d = (median(x) - median(y)).abs();
        // Exchangeable ties count as "as extreme"; the tiny tolerance absorbs rounding.
        if d >= observed * (1.0 - 1e-12) {
            at_least += 1;
        }
    }
    let p_value = (at_least + 1) as f64 / (resamples + 1) as f64;

    let verdict = if p_value < significance && lo > noise {
        Verdict::Regressed
    } else if p_value < significance && hi < -noise {
        Verdict::Improved
    } else {
        Verdict::NoChange
    };
    Change {
        ratio: Estimate { point, lo, hi },
        p_value,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_statistics() {
        let xs = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&xs), 5.0);
        // Sum of squared deviations is 32; 32 / 7.
        assert!((std_dev(&xs) - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        assert_eq!(median(&xs), 4.5);
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        // |x - 4.5| = 2.5 .5 .5 .5 .5 .5 2.5 4.5 -> median 0.5.
        assert!((mad_in_place(&mut xs.to_vec(), 4.5) - 1.4826 * 0.5).abs() < 1e-12);
        let sorted = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&sorted, 0.25), 1.75);
        assert_eq!(quantile_sorted(&sorted, 0.5), 2.5);
        assert_eq!(quantile_sorted(&sorted, 1.0), 4.0);
    }

    #[test]
    fn tukey_fences() {
        // 24 values: Q1 = 10, Q3 = 13, IQR = 3: mild above 17.5 or below 5.5, severe above
        // 22 or below 1.
        let mut xs: Vec<f64> = (0..20).map(|i| 10.0 + (i % 4) as f64).collect();
        xs.extend([19.0, 25.0, 4.0, -5.0]);
        let o = tukey(&xs);
        assert_eq!(
            o,
            Outliers {
                low_severe: 1,
                low_mild: 1,
                high_mild: 1,
                high_severe: 1
            },
            "{xs:?}"
        );
        assert_eq!(o.total(), 4);
    }

    #[test]
    fn bootstrap_intervals_hold_the_point_and_shrink_with_more_data() {
        let mut rng = Rng::new(7);
        let noise = |rng: &mut Rng| (rng.next_u64() % 1000) as f64 / 100.0; // uniform 0..10
        let small: Vec<f64> = (0..20).map(|_| 100.0 + noise(&mut rng)).collect();
        let large: Vec<f64> = (0..2000).map(|_| 100.0 + noise(&mut rng)).collect();
        let s = bootstrap(&small, 2000, 0.95, 1);
        let l = bootstrap(&large, 2000, 0.95, 1);
        for e in [s.mean, s.median, s.std_dev, s.mad, l.mean, l.median] {
            assert!(e.lo <= e.point && e.point <= e.hi, "{e:?}");
        }
        assert!(l.mean.hi - l.mean.lo < (s.mean.hi - s.mean.lo) / 4.0);
        // Uniform on 0..10: mean 5, sd 10/sqrt(12) = 2.89; the large sample's CI holds them.
        assert!(l.mean.lo < 105.0 && 105.0 < l.mean.hi, "{:?}", l.mean);
        assert!(
            l.std_dev.lo < 2.89 && 2.89 < l.std_dev.hi,
            "{:?}",
            l.std_dev
        );
        // Deterministic for a seed.
        assert_eq!(
            bootstrap(&small, 500, 0.95, 3),
            bootstrap(&small, 500, 0.95, 3)
        );
    }

    #[test]
    fn comparison_finds_real_changes_only() {
        let mut rng = Rng::new(11);
        let mut draw = |base: f64| -> Vec<f64> {
            (0..100)
                .map(|_| base + (rng.next_u64() % 1000) as f64 / 1000.0)
                .collect()
        };
        let old = draw(10.0);
        let same = draw(10.0);
        let slower = draw(11.0);
        let faster = draw(9.0);
        let c = compare(&same, &old, 2000, 0.95, 0.05, 0.02, 5);
        assert_eq!(c.verdict, Verdict::NoChange, "{c:?}");
        assert!(c.ratio.lo < 0.0 && c.ratio.hi > 0.0, "{c:?}");
        let c = compare(&slower, &old, 2000, 0.95, 0.05, 0.02, 5);
        assert_eq!(c.verdict, Verdict::Regressed, "{c:?}");
        assert!((c.ratio.point - 0.1).abs() < 0.03, "{c:?}");
        assert!(c.p_value < 0.01);
        let c = compare(&faster, &old, 2000, 0.95, 0.05, 0.02, 5);
        assert_eq!(c.verdict, Verdict::Improved, "{c:?}");
        // Significant but inside the noise threshold: no change.
        let c = compare(&slower, &old, 2000, 0.95, 0.05, 0.5, 5);
        assert_eq!(c.verdict, Verdict::NoChange, "{c:?}");
    }
}
