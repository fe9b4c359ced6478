//! DeepState control maps, parsed and then cleaned (repair, union, area) as
//! an import does: geometry operations on hostile shapes must not panic.
#![no_main]
use frontline_analysis::territory::{Region, clean_snapshot};
use frontline_ingest::territory::control::{ControlFormat, parse_control};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(snap) = parse_control(
        std::path::Path::new("1722544807.geojson"),
        data,
        &ControlFormat::DeepState,
    ) {
        let _ = clean_snapshot(&snap.features, &Region::default_war());
    }
});
