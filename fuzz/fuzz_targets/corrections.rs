//! General Staff corrections JSON.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::tallies::parse_corrections(std::path::Path::new("f_correction.json"), data);
});
