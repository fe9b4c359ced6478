//! The long tally CSV.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::tallies::parse_csv(std::path::Path::new("f.csv"), data);
});
