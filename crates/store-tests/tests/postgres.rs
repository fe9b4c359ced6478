//! The conformance suite on PostgreSQL + PostGIS, in a throwaway cluster.
//! Skips loudly when PostgreSQL is not installed, and fails instead in CI.

use frontline_store::{ErrorClass, StoreError};
use frontline_store_tests::{Db, pg};

frontline_store_tests::conformance!(Db::postgres());

/// A wrong port, a wrong database and a malformed URL each get a clear
/// error naming what was tried, without the password.
#[test]
fn bad_urls_say_what_is_wrong() {
    let Some(db) = Db::postgres() else { return };
    let cluster = pg::PgCluster::shared().expect("cluster");
    let missing = cluster.url("no_such_database").replace("postgres@", "postgres:s3cret@");
    let err = frontline_store::open(&missing).err().expect("must fail");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{msg}");
    assert!(
        msg.contains("no_such_database") && msg.contains("does not exist"),
        "{msg}"
    );
    assert!(!msg.contains("s3cret"), "password leaked: {msg}");
    assert_eq!(frontline_store::Classify::class(&err), ErrorClass::Unavailable);

    let closed = "postgres://postgres@127.0.0.1:1/x";
    let err = frontline_store::open(closed).err().expect("must fail");
    assert!(err.to_string().contains("127.0.0.1:1/x"), "{err}");

    let err = frontline_store::open("postgres://x@[bad/").err().expect("must fail");
    assert!(matches!(err, StoreError::BadUrl(_)), "{err}");
    drop(db);
}

/// A database whose schema is newer than this build is refused, not
/// downgraded or written to.
#[test]
fn newer_schema_is_refused() {
    let Some(db) = Db::postgres() else { return };
    drop(db.open());
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    c.batch_execute("UPDATE frontline.schema_version SET version = 999")
        .unwrap();
    match frontline_store::open(&db.url) {
        Err(StoreError::SchemaTooNew { found: 999, .. }) => {}
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer schema must be refused"),
    }
}

/// A migrated database reports the shared schema version, the number an
/// SQLite file with the same tables reports, not its count of entries.
#[test]
fn the_schema_version_is_the_one_sqlite_reports() {
    let Some(db) = Db::postgres() else { return };
    let pg = frontline_store::PgStore::connect(&db.url).expect("connect");
    assert_eq!(pg.schema_version().unwrap(), frontline_store::SCHEMA_VERSION);
    let dir = tempfile::tempdir().unwrap();
    let lite = frontline_store::SqliteStore::open(&dir.path().join("x.db")).unwrap();
    assert_eq!(lite.schema_version().unwrap(), frontline_store::SCHEMA_VERSION);
}

/// Without PostGIS available, opening says so and how to fix it.
#[test]
fn missing_postgis_is_explained() {
    let Some(db) = Db::postgres() else { return };
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    // A role that may not create extensions stands in for a server without
    // the package: both end in CREATE EXTENSION failing.
    let name = db.url.rsplit('/').next().unwrap().to_string();
    c.batch_execute(&format!(
        "DROP ROLE IF EXISTS plain; CREATE ROLE plain LOGIN; GRANT ALL ON DATABASE {name} TO plain; \
         ALTER DATABASE {name} OWNER TO plain"
    ))
    .unwrap();
    let url = db.url.replace("postgres@", "plain@");
    let err = frontline_store::open(&url).err().expect("must fail without PostGIS");
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Setup(_)), "{msg}");
    assert!(
        msg.contains("PostGIS") && msg.contains("CREATE EXTENSION postgis"),
        "{msg}"
    );
}

/// QGIS and ogr2ogr read the current layers through plain views.
#[test]
fn gis_views_show_current_layers() {
    let Some(db) = Db::postgres() else { return };
    let mut s = db.open();
    for (sha, area) in [("old", 10.0), ("new", 20.0)] {
        let mut tx = s.import_control().unwrap();
        tx.add(
            &frontline_store_tests::fixtures::meta(sha, frontline_model::SourceKind::ControlMap),
            &frontline_store_tests::fixtures::snapshot(
                "deepstate",
                frontline_store_tests::fixtures::at(2),
                frontline_model::ControlStatus::Occupied,
                area,
            ),
        )
        .unwrap();
        tx.commit().unwrap();
    }
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let rows = c
        .query(
            "SELECT area_km2, ST_SRID(geom), GeometryType(geom) FROM frontline.occupied",
            &[],
        )
        .unwrap();
    assert_eq!(rows.len(), 1, "only the current import of the snapshot");
    assert_eq!(rows[0].get::<_, f64>(0), 20.0);
    assert_eq!(rows[0].get::<_, i32>(1), 4326);
    assert_eq!(rows[0].get::<_, String>(2), "MULTIPOLYGON");
    let gist: i64 = c
        .query_one(
            "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = 'frontline' AND indexdef LIKE '%USING gist%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(gist >= 4, "GiST indexes on the geometry columns: {gist}");
    assert_eq!(c.query("SELECT 1 FROM frontline.liberated", &[]).unwrap().len(), 0);
}

/// The tally tables check their references per statement (migration 4)
/// instead of by foreign key: an orphan row is still refused, and a series
/// or source cannot be deleted from under its figures.
#[test]
fn tally_references_are_still_enforced() {
    let Some(db) = Db::postgres() else { return };
    drop(db.open());
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    c.batch_execute(
        "SET search_path = frontline; \
         INSERT INTO source (location, sha256, kind, imported_at, records, added) \
         VALUES ('f', 'x', 'tallies', now(), 1, 1); \
         INSERT INTO tally_series (claimant, subject, category) VALUES ('a', 'b', 'c');",
    )
    .unwrap();
    let fk = |c: &mut postgres::Client, sql: &str| {
        let err = c.batch_execute(sql).expect_err(sql);
        assert_eq!(
            err.code(),
            Some(&postgres::error::SqlState::FOREIGN_KEY_VIOLATION),
            "{sql}: {err:?}"
        );
    };
    for sql in [
        // Orphans, alone and mixed with good rows in one statement.
        "INSERT INTO tally_observation VALUES (999, '2024-01-01', 1, NULL, 1)",
        "INSERT INTO tally_observation VALUES (1, '2024-01-01', 1, NULL, 1), (1, '2024-01-02', 1, NULL, 999)",
        "INSERT INTO tally_correction VALUES (999, '2024-01-01', 1, 1)",
        "DELETE FROM source",
        "DELETE FROM tally_series",
        "UPDATE tally_series SET id = 5",
        "TRUNCATE source CASCADE",
    ] {
        fk(&mut c, &format!("SET search_path = frontline; {sql}"));
    }
    c.batch_execute(
        "SET search_path = frontline; INSERT INTO tally_observation VALUES (1, '2024-01-01', 1, NULL, 1); \
         INSERT INTO tally_correction VALUES (1, '2024-01-01', 1, 1);",
    )
    .expect("rows with existing references are taken");
    fk(
        &mut c,
        "SET search_path = frontline; UPDATE tally_observation SET series_id = 42",
    );
}
