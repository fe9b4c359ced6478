//! Oryx categories from system names, checked against WarSpotting's own type
//! on the items both lists prove with the same URL. Skips without
//! `FRONTLINE_DATA`.

use chrono::Utc;
use frontline_ingest::losses::{parse_oryx, parse_warspotting};
use std::collections::HashMap;
use std::path::PathBuf;

#[test]
fn oryx_keyword_categories_agree_with_warspotting_types() {
    let Some(dir) = std::env::var_os("FRONTLINE_DATA").map(PathBuf::from) else {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty() || v == "false"),
            "CI must run this real-data test, but FRONTLINE_DATA is not set"
        );
        eprintln!("skipped: set FRONTLINE_DATA to check Oryx categories against WarSpotting");
        return;
    };
    let mut oryx: HashMap<String, String> = HashMap::new();
    for s in ["destroyed", "damaged", "abandoned", "captured"] {
        let path = dir.join(format!("oryx-scarnecchia/event_{s}.csv"));
        let p = parse_oryx(&path, &std::fs::read(&path).unwrap(), Utc::now()).unwrap();
        for i in p.items {
            oryx.entry(i.proof_urls[0].clone()).or_insert(i.category);
        }
    }
    let path = dir.join("warspotting-2024-05/losses.csv");
    let ws = parse_warspotting(&path, &std::fs::read(&path).unwrap(), Utc::now()).unwrap();
    let (mut both, mut agree) = (0, 0);
    for i in &ws.items {
        if let Some(c) = i.proof_urls.first().and_then(|u| oryx.get(u)) {
            both += 1;
            agree += usize::from(*c == i.category);
        }
    }
    let share = agree as f64 / both as f64;
    eprintln!("{agree} of {both} categories agree ({share:.3})");
    assert_eq!(
        both, 13_659,
        "SOURCES.md: 13,659 of 14,183 WarSpotting rows join to Oryx by URL"
    );
    // 12,621 agree (92.4 %) since "tanker" trucks stopped counting as
    // tanks (90.6 % before).
    assert_eq!(agree, 12_621, "{share}");
}
