//! Named-list counts (UALosses JSON, long CSV).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let day = chrono::NaiveDate::from_ymd_opt(2025, 8, 21).unwrap_or_default();
    let p = std::path::Path::new("c");
    let _ = frontline_ingest::counts::parse_ualosses(p, data, "Ukraine", "ualosses", 1, day);
    let _ = frontline_ingest::counts::parse_long_csv(p, data, "generic", 1);
});
