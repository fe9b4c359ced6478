//! Country outlines.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::territory::boundaries::parse_boundaries(std::path::Path::new("b.geojson"), data);
});
