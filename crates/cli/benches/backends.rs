//! The warm territory and loss queries on both backends, in-process (as a
//! server runs them on a pooled connection, without a process start or a
//! new connection per query), on the DeepState archive and the Oryx list
//! from `$FRONTLINE_DATA`. PostgreSQL runs in a throwaway cluster
//! (`frontline_store_tests::pg`).
//!
//! `FRONTLINE_DATA=../shared/data cargo bench -p frontline-cli --bench backends`

use criterion::{Criterion, criterion_group, criterion_main};
use frontline_analysis::Period;
use frontline_app::commands::{losses, territory as terr};
use frontline_app::imports::Input;
use frontline_app::requests::{
    AreaRequest, ChangeRequest, DistanceRequest, HandoversRequest, ImportControlRequest, ImportLossesRequest,
    LossLayout, NowcastRequest, SettlementsRequest,
};
use frontline_model::ControlStatus;
use frontline_store::Store;
use std::hint::black_box;
use std::path::PathBuf;

fn d(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn load(store: &mut dyn Store, data: &std::path::Path) {
    terr::import::boundaries(
        store,
        &Input::Path(data.join("boundaries-naturalearth/countries_ua_ru_by_ne10m.geojson")),
    )
    .expect("outlines");
    terr::import::places(
        store,
        &frontline_app::requests::ImportPlacesRequest::csv(Input::Path(
            data.join("gazetteer-geonames/cities500_ua_ru_by_border_bbox.csv"),
        )),
    )
    .expect("places");
    terr::import::control(
        store,
        &ImportControlRequest::deepstate(vec![Input::Path(data.join("deepstate-history"))]),
    )
    .expect("control");
    let oryx = ["destroyed", "damaged", "abandoned", "captured"]
        .iter()
        .map(|s| Input::Path(data.join(format!("oryx-scarnecchia/event_{s}.csv"))))
        .collect();
    losses::import(
        store,
        &ImportLossesRequest {
            files: oryx,
            layout: LossLayout::Oryx,
            source: None,
            strict: false,
            rejects: Some(std::env::temp_dir().join("bench-rejects.csv")),
            allow_shrink: false,
        },
    )
    .expect("losses");
}

fn queries(c: &mut Criterion, name: &str, store: &mut dyn Store) {
    let lib_ru = AreaRequest {
        status: ControlStatus::Liberated,
        within: Some("RU".into()),
        mapper: None,
        from: None,
        to: None,
    };
    // Fill the memo of clipped areas once, as any first query does.
    terr::area::area(store, &lib_ru).expect("area");
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    g.bench_function("area liberated within RU", |b| {
        b.iter(|| black_box(terr::area::area(store, &lib_ru).expect("area")))
    });
    g.bench_function("peak liberated within RU", |b| {
        b.iter(|| black_box(terr::area::peak(store, &lib_ru).expect("peak")))
    });
    let change = ChangeRequest {
        status: ControlStatus::Occupied,
        within: None,
        mapper: None,
        from: None,
        to: None,
        period: Some(Period::Month),
        geojson: None,
    };
    g.bench_function("change occupied per month", |b| {
        b.iter(|| black_box(terr::change::run(store, &change).expect("change")))
    });
    let settlements = SettlementsRequest {
        status: ControlStatus::Liberated,
        within: Some("RU".into()),
        mapper: None,
        date: Some(d("2024-09-01")),
        from: None,
        to: None,
        min_population: 0,
    };
    g.bench_function("settlements liberated within RU on a day", |b| {
        b.iter(|| black_box(terr::places::settlements(store, &settlements).expect("settlements")))
    });
    let handovers = HandoversRequest {
        from: d("2025-03-01"),
        to: d("2025-03-31"),
        within: None,
        mapper: None,
        min_population: 0,
    };
    g.bench_function("handovers in a month", |b| {
        b.iter(|| black_box(terr::places::handovers(store, &handovers).expect("handovers")))
    });
    let distance = DistanceRequest {
        status: ControlStatus::Liberated,
        within: None,
        mapper: None,
        date: d("2024-09-01"),
        place: Some("Kursk".into()),
        layer: None,
    };
    g.bench_function("distance to Kursk", |b| {
        b.iter(|| black_box(terr::distance::run(store, &distance).expect("distance")))
    });
    let nowcast = NowcastRequest {
        source: Some("oryx".into()),
        side: None,
        category: None,
        status: None,
        period: Period::Week,
        recent: 8,
    };
    // The nowcast's day is the store's knowledge day.
    let as_of = Some(d("2024-12-31"));
    g.bench_function("nowcast oryx weekly", |b| {
        b.iter(|| {
            black_box(frontline_app::as_of::on(store, as_of, |s| losses::nowcast_rows(s, &nowcast)).expect("nowcast"))
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let Some(data) = std::env::var_os("FRONTLINE_DATA").map(PathBuf::from) else {
        eprintln!("skipped: set FRONTLINE_DATA to the shared data folder");
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    let mut sqlite = frontline_store::open(&dir.path().join("b.db").display().to_string()).expect("sqlite");
    load(sqlite.as_mut(), &data);
    queries(c, "sqlite", sqlite.as_mut());
    let Some(url) = frontline_store_tests::pg::fresh_url() else {
        return;
    };
    let mut pg = frontline_store::open(&url).expect("postgres");
    load(pg.as_mut(), &data);
    queries(c, "postgres", pg.as_mut());
}

criterion_group!(benches, bench);
criterion_main!(benches);
