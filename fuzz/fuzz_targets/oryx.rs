//! Oryx `event_*.csv` (event dates from proof file names included).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::losses::parse_oryx(std::path::Path::new("f.csv"), data, chrono::Utc::now());
});
