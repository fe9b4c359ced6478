//! Claims files (CSV, JSON or YAML).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::claims::parse_claims(std::path::Path::new("c.csv"), data);
    let _ = frontline_ingest::claims::parse_claims(std::path::Path::new("c.yaml"), data);
});
