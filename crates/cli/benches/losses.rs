//! Loss evidence on the real Oryx scrape (37,505 rows) from `$FRONTLINE_DATA`:
//! import into a fresh database file, nowcast, backtest; and the parse of
//! the two recorded Oryx pages.
//!
//! `FRONTLINE_DATA=../shared/data cargo bench -p frontline-cli --bench losses`

use chrono::Utc;
use criterion::{Criterion, criterion_group, criterion_main};
use frontline_analysis::Period;
use frontline_analysis::evidence::nowcast::NowcastOptions;
use frontline_analysis::evidence::{backtest, nowcast};
use frontline_ingest::SourceFile;
use frontline_ingest::losses::{LossFormat, parse_losses};
use frontline_model::{SourceKind, SourceMeta};
use frontline_store::{EvidenceImport, SqliteStore, Store};
use std::hint::black_box;
use std::path::PathBuf;

fn files() -> Option<Vec<SourceFile>> {
    let dir = PathBuf::from(std::env::var_os("FRONTLINE_DATA")?).join("oryx-scarnecchia");
    ["destroyed", "damaged", "abandoned", "captured"]
        .iter()
        .map(|s| SourceFile::read(&dir.join(format!("event_{s}.csv"))).ok())
        .collect()
}

fn import(files: &[SourceFile], db: &std::path::Path) -> usize {
    let now = Utc::now();
    let parsed: Vec<EvidenceImport> = files
        .iter()
        .map(|f| EvidenceImport {
            meta: SourceMeta::new(f.name.clone(), f.sha256.clone(), SourceKind::Losses, now),
            items: parse_losses(f.path(), &f.bytes, &LossFormat::Oryx, now)
                .expect("parses")
                .items,
            coverage: Default::default(),
        })
        .collect();
    let mut store = SqliteStore::open(db).expect("db");
    store.import_evidence(&parsed).expect("import").added
}

fn bench(c: &mut Criterion) {
    let Some(files) = files() else {
        eprintln!("skipped: set FRONTLINE_DATA to the shared data folder");
        return;
    };
    let mut g = c.benchmark_group("losses");
    g.sample_size(10);
    g.bench_function("import 37,505 Oryx rows into a new database file", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("tmp"),
            |dir| black_box(import(&files, &dir.path().join("b.db"))),
            criterion::BatchSize::PerIteration,
        )
    });
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("b.db");
    import(&files, &db);
    let items = SqliteStore::open(&db)
        .expect("db")
        .evidence_items(&frontline_store::EvidenceFilter::default())
        .expect("items");
    let as_of = chrono::NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
    g.bench_function("load current items", |b| {
        b.iter(|| {
            black_box(
                SqliteStore::open(&db)
                    .expect("db")
                    .evidence_items(&frontline_store::EvidenceFilter::default())
                    .expect("items")
                    .len(),
            )
        })
    });
    // #23: the same read as known on a past day (each item's version and
    // tombstones by then); its budget is 2x the read above.
    g.bench_function("load items as known on 2024-12-31", |b| {
        let f = frontline_store::EvidenceFilter {
            known_by: Some(as_of),
            ..Default::default()
        };
        b.iter(|| {
            black_box(
                SqliteStore::open(&db)
                    .expect("db")
                    .evidence_items(&f)
                    .expect("items")
                    .len(),
            )
        })
    });
    g.bench_function("nowcast weekly as of 2024-12-31", |b| {
        b.iter(|| black_box(nowcast(&items, &NowcastOptions::new(Period::Week, as_of))))
    });
    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(2024, 6, 1).expect("d"),
        chrono::NaiveDate::from_ymd_opt(2025, 3, 31).expect("d"),
    );
    g.bench_function("backtest weekly 2024-06 to 2025-03 (44 as-of weeks)", |b| {
        b.iter(|| black_box(backtest(&items, Period::Week, from, to, 4)))
    });
    let all = (
        chrono::NaiveDate::from_ymd_opt(2022, 3, 1).expect("d"),
        chrono::NaiveDate::from_ymd_opt(2025, 7, 19).expect("d"),
    );
    g.bench_function("backtest weekly over the whole series (2022-03 to 2025-07)", |b| {
        b.iter(|| black_box(backtest(&items, Period::Week, all.0, all.1, 4)))
    });
    // The Oryx pages as `sync oryx` reads them (recorded-responses/oryx:
    // 1.1 MB and 0.56 MB of HTML, 13,314 items).
    let pages: Vec<(PathBuf, Vec<u8>)> = ["borderlands_russia.html", "borderlands_ukraine.html"]
        .iter()
        .filter_map(|n| {
            let p = PathBuf::from(std::env::var_os("FRONTLINE_DATA")?)
                .join("recorded-responses/oryx")
                .join(n);
            std::fs::read(&p).ok().map(|b| (p, b))
        })
        .collect();
    if pages.len() == 2 {
        g.bench_function("parse the two Oryx pages (13,314 items)", |b| {
            b.iter(|| {
                pages
                    .iter()
                    .map(|(p, bytes)| {
                        frontline_ingest::losses::parse_oryx_page(p, bytes, None, Utc::now())
                            .expect("parses")
                            .parse
                            .items
                            .len()
                    })
                    .sum::<usize>()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
