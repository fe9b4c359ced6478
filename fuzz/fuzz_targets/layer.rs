//! Reference layers.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::territory::layer::parse_layer(std::path::Path::new("l.geojson"), data, "name");
});
