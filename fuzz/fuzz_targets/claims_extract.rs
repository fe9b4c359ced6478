//! Articles for `claims extract`: any text, no panic, bounded time.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 8, 27).unwrap_or_default();
        let _ = frontline_ingest::claims_extract::extract(text, day);
    }
});
