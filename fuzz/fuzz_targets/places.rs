//! Gazetteers.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::territory::places::parse_places(std::path::Path::new("p.csv"), data);
});
