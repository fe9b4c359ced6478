//! General Staff daily JSON: any bytes give a batch or an error, never a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = frontline_ingest::tallies::parse_general_staff(std::path::Path::new("f.json"), data);
});
