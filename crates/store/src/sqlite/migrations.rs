//! Versioned schema. Each entry upgrades from the previous version; the
//! applied version is kept in `PRAGMA user_version`. Never edit a released
//! entry: append a new one.

pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: sources, tally series, figures, corrections, notes, merges.
    r#"
    CREATE TABLE source (
        id          INTEGER PRIMARY KEY,
        location    TEXT NOT NULL,
        sha256      TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        records     INTEGER NOT NULL,
        added       INTEGER NOT NULL
    );
    CREATE TABLE tally_series (
        id        INTEGER PRIMARY KEY,
        claimant  TEXT NOT NULL,
        subject   TEXT NOT NULL,
        category  TEXT NOT NULL,
        UNIQUE (claimant, subject, category)
    );
    CREATE TABLE tally_observation (
        series_id  INTEGER NOT NULL REFERENCES tally_series(id),
        date       TEXT NOT NULL,
        cumulative INTEGER NOT NULL,
        qualifier  TEXT,
        source_id  INTEGER NOT NULL REFERENCES source(id),
        PRIMARY KEY (series_id, date, source_id)
    ) WITHOUT ROWID;
    CREATE TABLE tally_correction (
        series_id INTEGER NOT NULL REFERENCES tally_series(id),
        date      TEXT NOT NULL,
        delta     INTEGER NOT NULL,
        source_id INTEGER NOT NULL REFERENCES source(id),
        PRIMARY KEY (series_id, date, source_id)
    ) WITHOUT ROWID;
    CREATE TABLE tally_note (
        claimant  TEXT NOT NULL,
        subject   TEXT NOT NULL,
        date      TEXT NOT NULL,
        field     TEXT NOT NULL,
        text      TEXT NOT NULL,
        source_id INTEGER NOT NULL REFERENCES source(id),
        PRIMARY KEY (claimant, subject, date, field, source_id)
    ) WITHOUT ROWID;
    CREATE TABLE tally_merge (
        into_series_id INTEGER NOT NULL REFERENCES tally_series(id),
        from_category  TEXT NOT NULL,
        date           TEXT NOT NULL,
        source_id      INTEGER NOT NULL REFERENCES source(id),
        PRIMARY KEY (into_series_id, from_category)
    ) WITHOUT ROWID;
    "#,
];
