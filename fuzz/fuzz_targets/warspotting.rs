//! WarSpotting `losses.csv`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::losses::parse_warspotting(std::path::Path::new("f.csv"), data, chrono::Utc::now());
});
