//! Golden test of the chain ladder against Mack (1993): the RAA triangle,
//! the standard test data of that paper (as in `$FRONTLINE_DATA/methods`,
//! embedded here as a published table), with its published results: factors
//! 2.9994, 1.6235, 1.2709, 1.1717, 1.1134, 1.0419, 1.0333, 1.0169, 1.0092;
//! latest 160,987; ultimate 213,122.23; Mack total standard error 26,880.74.

use frontline_analysis::evidence::{ChainLadder, Triangle};

const RAA: [&[f64]; 10] = [
    &[
        5012., 8269., 10907., 11805., 13539., 16181., 18009., 18608., 18662., 18834.,
    ],
    &[106., 4285., 5396., 10666., 13782., 15599., 15496., 16169., 16704.],
    &[3410., 8992., 13873., 16141., 18735., 22214., 22863., 23466.],
    &[5655., 11555., 15766., 21266., 23425., 26083., 27067.],
    &[1092., 9565., 15836., 22169., 25955., 26180.],
    &[1513., 6445., 11702., 12935., 15852.],
    &[557., 4020., 10946., 12314.],
    &[1351., 6947., 13112.],
    &[3133., 5395.],
    &[2063.],
];

fn raa() -> Triangle {
    Triangle {
        rows: RAA.iter().map(|r| r.to_vec()).collect(),
        width: 10,
    }
}

#[test]
fn raa_factors_ultimate_and_mack_error() {
    let cl = ChainLadder::fit(&raa());
    let want = [2.9994, 1.6235, 1.2709, 1.1717, 1.1134, 1.0419, 1.0333, 1.0169, 1.0092];
    for (k, (f, w)) in cl.factors.iter().zip(want).enumerate() {
        assert!((f - w).abs() < 5e-5, "factor {k}: {f} vs {w}");
    }
    assert_eq!(cl.latest.iter().sum::<f64>(), 160_987.0);
    let ultimate: f64 = cl.ultimate.iter().sum();
    assert!((ultimate - 213_122.23).abs() < 0.01, "ultimate {ultimate}");
    assert!((cl.total_se - 26_880.74).abs() < 0.01, "total s.e. {}", cl.total_se);
}

#[test]
fn shared_copy_matches_the_embedded_table() {
    let Some(dir) = std::env::var_os("FRONTLINE_DATA") else {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
            "CI must run this real-data test, but FRONTLINE_DATA is not set"
        );
        eprintln!("skipped: set FRONTLINE_DATA to compare with the shared RAA file");
        return;
    };
    let text = std::fs::read_to_string(std::path::Path::new(&dir).join("methods/raa_triangle.csv")).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .skip(1)
                .filter(|c| !c.is_empty())
                .map(|c| c.parse().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(rows, raa().rows);
}

/// Three rows, two steps: factor 70/30, completeness 3/7 after the first
/// step. Pearson's χ² of the five increments against ultimate × due share
/// is 35/18 (worked by hand: 0.635 + 0.476 + 0.476 + 0.357 + 0) over
/// 5 cells − 3 rows − 1 step = 1 degree of freedom.
#[test]
fn dispersion_is_pearsons_chi2_over_the_degrees_of_freedom() {
    let t = Triangle {
        rows: vec![vec![10.0, 30.0], vec![20.0, 40.0], vec![10.0]],
        width: 2,
    };
    let cl = ChainLadder::fit(&t);
    assert!((cl.completeness(0) - 3.0 / 7.0).abs() < 1e-12);
    assert_eq!(cl.completeness(1), 1.0);
    assert!((cl.dispersion(&t) - 35.0 / 18.0).abs() < 1e-9, "{}", cl.dispersion(&t));
    // Increments exactly as expected: no over-dispersion, φ is held at 1.
    let even = Triangle {
        rows: vec![vec![10.0, 20.0], vec![20.0, 40.0], vec![10.0]],
        width: 2,
    };
    assert_eq!(ChainLadder::fit(&even).dispersion(&even), 1.0);
}
