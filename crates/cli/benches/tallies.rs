//! Import and derivation of every General Staff category, on the bundled data.
//!
//! `cargo bench -p frontline-cli --bench tallies`

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use frontline_analysis::{DeriveOptions, derive_daily};
use frontline_ingest::SourceFile;
use frontline_ingest::tallies::{TallyFormat, parse_tallies};
use frontline_model::SourceMeta;
use frontline_store::{SqliteStore, Store, TallyImport};
use std::hint::black_box;
use std::path::Path;

const FILES: [&str; 3] = [
    "russia_losses_personnel.json",
    "russia_losses_equipment.json",
    "russia_losses_equipment_correction.json",
];

fn read_files() -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/general-staff-tallies");
    FILES
        .iter()
        .map(|f| SourceFile::read(&dir.join(f)).expect("bundled data present"))
        .collect()
}

fn parse(files: &[SourceFile]) -> Vec<TallyImport> {
    files
        .iter()
        .map(|f| {
            let (kind, batch) = parse_tallies(f, TallyFormat::Auto).expect("bundled data parses");
            TallyImport {
                meta: SourceMeta {
                    location: f.name.clone(),
                    sha256: f.sha256.clone(),
                    bytes_sha256: None,
                    kind,
                    imported_at: Utc::now(),
                },
                batch,
            }
        })
        .collect()
}

fn derive_all(store: &SqliteStore) -> usize {
    let mut days = 0;
    for s in store.tally_catalog(None).expect("catalog") {
        let series = store.tally_series(&s.key, None).expect("series").expect("stored");
        days += derive_daily(&series, DeriveOptions::default()).len();
    }
    days
}

fn bench(c: &mut Criterion) {
    let files = read_files();
    c.bench_function("parse 3 files", |b| b.iter(|| black_box(parse(&files))));
    c.bench_function("import + derive every category (in-memory db)", |b| {
        b.iter(|| {
            let mut store = SqliteStore::open_in_memory().expect("db");
            store.import_tallies(&parse(&files)).expect("import");
            black_box(derive_all(&store))
        })
    });
    let mut store = SqliteStore::open_in_memory().expect("db");
    store.import_tallies(&parse(&files)).expect("import");
    c.bench_function("derive every category (already imported)", |b| {
        b.iter(|| black_box(derive_all(&store)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
