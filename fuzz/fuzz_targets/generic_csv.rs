//! Generic loss CSV.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ =
        frontline_ingest::losses::parse_generic_csv(std::path::Path::new("f.csv"), data, "fuzz", chrono::Utc::now());
});
