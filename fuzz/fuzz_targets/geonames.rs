//! GeoNames country dumps, with alternate names.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The first half as the dump, the rest as its alternate names.
    let (dump, names) = data.split_at(data.len() / 2);
    let _ = frontline_ingest::territory::geonames::parse_geonames(
        std::path::Path::new("RU.txt"),
        dump,
        Some((std::path::Path::new("alt.txt"), names)),
    );
});
