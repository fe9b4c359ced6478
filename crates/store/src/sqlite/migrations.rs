//! Versioned schema. Each entry upgrades from the previous version; the
//! applied version is kept in `PRAGMA user_version` and is the shared
//! schema version (`schema.rs`) of the entry. Never edit a released entry:
//! append a new one, at the same version as its PostgreSQL twin.

use crate::schema::Migration;

pub(crate) const MIGRATIONS: &[Migration] = &[
    // 1: sources, tally series, figures, corrections, notes, merges.
    Migration {
        schema: 1,
        sql: r#"
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
    },
    // 2: control maps, country outlines, places, reference layers.
    Migration {
        schema: 2,
        sql: r#"
    CREATE TABLE control_snapshot (
        id             INTEGER PRIMARY KEY,
        mapper         TEXT NOT NULL,
        taken_at       TEXT NOT NULL,
        source_id      INTEGER NOT NULL REFERENCES source(id),
        annotations    INTEGER NOT NULL,
        unmapped       INTEGER NOT NULL,
        repaired       INTEGER NOT NULL,
        rejected       INTEGER NOT NULL,
        outside_region INTEGER NOT NULL,
        UNIQUE (mapper, taken_at, source_id)
    );
    CREATE TABLE control_layer (
        snapshot_id INTEGER NOT NULL REFERENCES control_snapshot(id),
        status      TEXT NOT NULL,
        features    INTEGER NOT NULL,
        labels      TEXT NOT NULL,
        area_km2    REAL NOT NULL,
        geometry    BLOB NOT NULL,
        PRIMARY KEY (snapshot_id, status)
    );
    CREATE TABLE control_area_within (
        snapshot_id INTEGER NOT NULL REFERENCES control_snapshot(id),
        status      TEXT NOT NULL,
        within      TEXT NOT NULL,
        area_km2    REAL NOT NULL,
        PRIMARY KEY (snapshot_id, status, within)
    ) WITHOUT ROWID;
    CREATE TABLE control_annotation (
        snapshot_id INTEGER NOT NULL REFERENCES control_snapshot(id),
        feature     INTEGER NOT NULL,
        label       TEXT NOT NULL,
        lon         REAL NOT NULL,
        lat         REAL NOT NULL,
        PRIMARY KEY (snapshot_id, feature)
    ) WITHOUT ROWID;
    CREATE TABLE boundary (
        code      TEXT NOT NULL,
        name      TEXT NOT NULL,
        geometry  BLOB NOT NULL,
        source_id INTEGER NOT NULL REFERENCES source(id),
        PRIMARY KEY (code, source_id)
    );
    CREATE TABLE place (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        lat        REAL NOT NULL,
        lon        REAL NOT NULL,
        population INTEGER,
        admin1     TEXT,
        country    TEXT,
        source_id  INTEGER NOT NULL REFERENCES source(id),
        UNIQUE (name, lat, lon)
    );
    CREATE INDEX place_name ON place (name COLLATE NOCASE);
    CREATE TABLE layer_feature (
        layer     TEXT NOT NULL,
        feature   INTEGER NOT NULL,
        name      TEXT NOT NULL,
        geometry  BLOB NOT NULL,
        source_id INTEGER NOT NULL REFERENCES source(id),
        PRIMARY KEY (layer, feature, source_id)
    );
    "#,
    },
    // 3: per-item loss evidence with append-only versions and tombstones.
    Migration {
        schema: 3,
        sql: r#"
    CREATE TABLE evidence_item (
        id                   TEXT PRIMARY KEY,
        source               TEXT NOT NULL,
        status               TEXT NOT NULL,
        current_version      INTEGER NOT NULL,
        tombstoned_source_id INTEGER REFERENCES source(id)
    );
    CREATE INDEX evidence_item_scope ON evidence_item (source, status);
    CREATE TABLE evidence_version (
        item_id        TEXT NOT NULL REFERENCES evidence_item(id),
        version        INTEGER NOT NULL,
        source_id      INTEGER NOT NULL REFERENCES source(id),
        side           TEXT NOT NULL,
        category       TEXT NOT NULL,
        model          TEXT NOT NULL,
        status         TEXT NOT NULL,
        count          INTEGER NOT NULL,
        event_date     TEXT,
        published_date TEXT,
        recorded_at    TEXT NOT NULL,
        lat            REAL,
        lon            REAL,
        precision_m    REAL,
        proof_urls     TEXT NOT NULL,
        PRIMARY KEY (item_id, version)
    ) WITHOUT ROWID;
    "#,
    },
    // 4: a data version every write bumps (readers in other processes
    // compare it to know their cached answers are stale).
    Migration {
        schema: 4,
        sql: r#"
    CREATE TABLE data_version (version INTEGER NOT NULL);
    INSERT INTO data_version (version) VALUES (1);
    "#,
    },
    // 5: who wrote what (one row per write, in the write's transaction),
    // and named tokens, stored as SHA-256 hashes.
    Migration {
        schema: 5,
        sql: r#"
    CREATE TABLE audit (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        actor      TEXT NOT NULL,
        via        TEXT NOT NULL,
        action     TEXT NOT NULL,
        sources    TEXT NOT NULL,
        added      INTEGER NOT NULL,
        updated    INTEGER NOT NULL,
        tombstoned INTEGER NOT NULL
    );
    CREATE TABLE token (
        name       TEXT PRIMARY KEY,
        role       TEXT NOT NULL,
        sha256     TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    "#,
    },
    // 6: live syncs: each run, each request it made, and the bodies it
    // kept, content-addressed (a figure can be traced to the bytes it came
    // from: its source's sha256 is a blob's).
    Migration {
        schema: 6,
        sql: r#"
    CREATE TABLE sync_run (
        id          INTEGER PRIMARY KEY,
        source      TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        ok          INTEGER NOT NULL,
        new_records INTEGER NOT NULL,
        requests    INTEGER NOT NULL,
        message     TEXT NOT NULL
    );
    CREATE INDEX sync_run_source ON sync_run (source, id);
    CREATE TABLE http_fetch (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES sync_run(id),
        source        TEXT NOT NULL,
        url           TEXT NOT NULL,
        status        INTEGER NOT NULL,
        fetched_at    TEXT NOT NULL,
        sha256        TEXT REFERENCES blob(sha256),
        etag          TEXT,
        last_modified TEXT
    );
    CREATE INDEX http_fetch_url ON http_fetch (url, id);
    CREATE TABLE blob (
        sha256   TEXT PRIMARY KEY,
        encoding TEXT NOT NULL,
        bytes    BLOB NOT NULL
    );
    "#,
    },
    // 7: sync results held for review (quarantine).
    Migration {
        schema: 7,
        sql: r#"
    CREATE TABLE revision (
        id         INTEGER PRIMARY KEY,
        source     TEXT NOT NULL,
        created_at TEXT NOT NULL,
        reason     TEXT NOT NULL,
        diff       TEXT NOT NULL,
        files      TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
        decided_at TEXT,
        decided_by TEXT,
        why        TEXT
    );
    "#,
    },
    // 8: a reparse reads kept bytes again: its source row is keyed apart
    // from the first import of those bytes and names them here.
    Migration {
        schema: 8,
        sql: r#"
    ALTER TABLE source ADD COLUMN bytes_sha256 TEXT;
    "#,
    },
    // 9: first-level units and de jure countries beside the map's
    // countries, with names in Ukrainian and Russian.
    Migration {
        schema: 9,
        sql: r#"
    ALTER TABLE boundary ADD COLUMN level TEXT NOT NULL DEFAULT 'de-facto'
        CHECK (level IN ('de-facto', 'de-jure', 'unit'));
    ALTER TABLE boundary ADD COLUMN name_uk TEXT;
    ALTER TABLE boundary ADD COLUMN name_ru TEXT;
    "#,
    },
    // 10: areas within a country now leave border slivers out (and keep
    // them under `CODE+SLIVERS`): the remembered ones are recomputed.
    Migration {
        schema: 10,
        sql: r#"
    DELETE FROM control_area_within;
    "#,
    },
    // 11: the claims ledger: each claim by the analyst's id, every version
    // kept with the import it came from (the claim itself as JSON).
    Migration {
        schema: 11,
        sql: r#"
    CREATE TABLE claim (
        claim_id  TEXT NOT NULL,
        version   INTEGER NOT NULL,
        source_id INTEGER NOT NULL REFERENCES source(id),
        body      TEXT NOT NULL,
        PRIMARY KEY (claim_id, version)
    );
    "#,
    },
    // 12: counts by period as each vintage of a named list gave them
    // (docs/personnel.md); a vintage is stored whole, once.
    Migration {
        schema: 12,
        sql: r#"
    CREATE TABLE count_vintage (
        subject     TEXT NOT NULL,
        list        TEXT NOT NULL,
        granularity TEXT NOT NULL CHECK (granularity IN ('day', 'week', 'month', 'sunday-week')),
        edition     INTEGER NOT NULL,
        vintage     TEXT NOT NULL,
        period      TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('killed', 'missing')),
        count       INTEGER NOT NULL CHECK (count >= 0),
        source_id   INTEGER NOT NULL REFERENCES source(id),
        PRIMARY KEY (subject, list, granularity, edition, vintage, period, status)
    );
    "#,
    },
    // 13: places' names in Ukrainian and Russian, when the gazetteer has
    // them (the page's language switch).
    Migration {
        schema: 13,
        sql: r#"
    ALTER TABLE place ADD COLUMN name_uk TEXT;
    ALTER TABLE place ADD COLUMN name_ru TEXT;
    "#,
    },
    // 14: every tombstone, kept: `evidence_item.tombstoned_source_id` is
    // the current one only and is cleared when an item comes back, so an
    // answer as of a past day could not tell whether an item was gone then.
    Migration {
        schema: 14,
        sql: r#"
    CREATE TABLE evidence_tombstone (
        item_id   TEXT NOT NULL REFERENCES evidence_item(id),
        source_id INTEGER NOT NULL REFERENCES source(id),
        PRIMARY KEY (item_id, source_id)
    ) WITHOUT ROWID;
    INSERT INTO evidence_tombstone (item_id, source_id)
        SELECT id, tombstoned_source_id FROM evidence_item WHERE tombstoned_source_id IS NOT NULL;
    "#,
    },
    // 15: events (docs/events.md): what the data says happened, recorded
    // once by a stable id, in the order they were seen (`seq`).
    Migration {
        schema: 15,
        sql: r#"
    CREATE TABLE event (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        id          TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        date        TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        body        TEXT NOT NULL
    );
    CREATE INDEX event_kind_seq ON event (kind, seq);
    "#,
    },
    // 16: webhooks (docs/webhooks.md): subscriptions, and one delivery per
    // subscription and event, its state kept across restarts.
    Migration {
        schema: 16,
        sql: r#"
    CREATE TABLE subscription (
        id            TEXT PRIMARY KEY,
        url           TEXT NOT NULL,
        kinds         TEXT NOT NULL,
        secret        TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        after_seq     INTEGER NOT NULL,
        paused_at     TEXT,
        paused_reason TEXT
    );
    CREATE TABLE delivery (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        subscription TEXT NOT NULL,
        event_seq    INTEGER NOT NULL,
        status       TEXT NOT NULL,
        attempts     INTEGER NOT NULL,
        created_at   TEXT NOT NULL,
        next_at      TEXT NOT NULL,
        last_at      TEXT,
        last_status  INTEGER,
        last_error   TEXT,
        UNIQUE (subscription, event_seq)
    );
    CREATE INDEX delivery_due ON delivery (status, next_at);
    "#,
    },
    // 17: what each gazetteer covers (smallest population, feature
    // classes, region; docs/claims.md), as JSON. Gazetteers imported
    // before have no row: their coverage is unknown.
    Migration {
        schema: 17,
        sql: r#"
    CREATE TABLE gazetteer (
        source_id INTEGER PRIMARY KEY REFERENCES source(id),
        coverage  TEXT NOT NULL
    );
    "#,
    },
    // 18: where each map differs from the one before (#27; derived, see
    // `ControlEdit`): [west, south, east, north] boxes, four
    // little-endian f64s each.
    // Maps stored before get theirs at the next control import.
    Migration {
        schema: 18,
        sql: r#"
    CREATE TABLE control_edit (
        snapshot_id INTEGER PRIMARY KEY REFERENCES control_snapshot(id),
        previous_id INTEGER NOT NULL REFERENCES control_snapshot(id),
        boxes       BLOB NOT NULL
    );
    "#,
    },
    // 19: the places each edit changed (#27; derived): a settlement's
    // history read from its own rows instead of the maps. An edit recorded
    // before tested no place (`places_upto` 0); readers test the maps for
    // it, and the next control import of the mapper records it again.
    Migration {
        schema: 19,
        sql: r#"
    ALTER TABLE control_edit ADD COLUMN places_upto INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE control_place_change (
        place_id    INTEGER NOT NULL REFERENCES place(id),
        snapshot_id INTEGER NOT NULL REFERENCES control_snapshot(id),
        status      TEXT,
        PRIMARY KEY (place_id, snapshot_id)
    ) WITHOUT ROWID;
    CREATE INDEX control_place_change_snapshot ON control_place_change (snapshot_id);
    "#,
    },
];
