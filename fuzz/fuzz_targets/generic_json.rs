//! Generic loss JSON.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ =
        frontline_ingest::losses::parse_generic_json(std::path::Path::new("f.json"), data, "fuzz", chrono::Utc::now());
});
