//! Versioned schema of the PostgreSQL backend, in the `frontline` schema.
//! Each entry upgrades from the previous one; the number of applied entries
//! is kept in `frontline.schema_version`, and each entry names the shared
//! schema version it reaches (`schema.rs`). Never edit a released entry:
//! append one, at the same version as its SQLite twin.
//!
//! The tables mirror the SQLite schema (same names, same history rules) with
//! native types: `date`, `timestamptz`, and PostGIS geometry in SRID 4326
//! with GiST indexes, so that QGIS and `ogr2ogr` read them directly.

use crate::schema::Migration;

pub(crate) const MIGRATIONS: &[Migration] = &[
    // 1: everything the SQLite schema holds at its version 4.
    Migration {
        schema: 4,
        sql: r#"
    CREATE TABLE source (
        id          BIGSERIAL PRIMARY KEY,
        location    TEXT NOT NULL,
        sha256      TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        imported_at TIMESTAMPTZ NOT NULL,
        records     BIGINT NOT NULL,
        added       BIGINT NOT NULL
    );
    CREATE TABLE data_version (version BIGINT NOT NULL);
    INSERT INTO data_version (version) VALUES (1);

    CREATE TABLE tally_series (
        id        BIGSERIAL PRIMARY KEY,
        claimant  TEXT NOT NULL,
        subject   TEXT NOT NULL,
        category  TEXT NOT NULL,
        UNIQUE (claimant, subject, category)
    );
    CREATE TABLE tally_observation (
        series_id  BIGINT NOT NULL REFERENCES tally_series(id),
        date       DATE NOT NULL,
        cumulative BIGINT NOT NULL,
        qualifier  TEXT,
        source_id  BIGINT NOT NULL REFERENCES source(id),
        PRIMARY KEY (series_id, date, source_id)
    );
    CREATE TABLE tally_correction (
        series_id BIGINT NOT NULL REFERENCES tally_series(id),
        date      DATE NOT NULL,
        delta     BIGINT NOT NULL,
        source_id BIGINT NOT NULL REFERENCES source(id),
        PRIMARY KEY (series_id, date, source_id)
    );
    CREATE TABLE tally_note (
        claimant  TEXT NOT NULL,
        subject   TEXT NOT NULL,
        date      DATE NOT NULL,
        field     TEXT NOT NULL,
        text      TEXT NOT NULL,
        source_id BIGINT NOT NULL REFERENCES source(id),
        PRIMARY KEY (claimant, subject, date, field, source_id)
    );
    CREATE TABLE tally_merge (
        into_series_id BIGINT NOT NULL REFERENCES tally_series(id),
        from_category  TEXT NOT NULL,
        date           DATE NOT NULL,
        source_id      BIGINT NOT NULL REFERENCES source(id),
        PRIMARY KEY (into_series_id, from_category)
    );

    CREATE TABLE control_snapshot (
        id             BIGSERIAL PRIMARY KEY,
        mapper         TEXT NOT NULL,
        taken_at       TIMESTAMPTZ NOT NULL,
        source_id      BIGINT NOT NULL REFERENCES source(id),
        annotations    BIGINT NOT NULL,
        unmapped       BIGINT NOT NULL,
        repaired       BIGINT NOT NULL,
        rejected       BIGINT NOT NULL,
        outside_region BIGINT NOT NULL,
        -- The newest import of this (mapper, time); set when stored.
        current        BOOLEAN NOT NULL,
        UNIQUE (mapper, taken_at, source_id)
    );
    CREATE UNIQUE INDEX control_snapshot_current ON control_snapshot (mapper, taken_at) WHERE current;
    CREATE TABLE control_layer (
        fid         BIGSERIAL UNIQUE,
        snapshot_id BIGINT NOT NULL REFERENCES control_snapshot(id),
        status      TEXT NOT NULL,
        features    BIGINT NOT NULL,
        labels      TEXT NOT NULL,
        area_km2    DOUBLE PRECISION NOT NULL,
        geom        geometry(MultiPolygon, 4326) NOT NULL,
        PRIMARY KEY (snapshot_id, status)
    );
    CREATE INDEX control_layer_geom ON control_layer USING GIST (geom);
    CREATE TABLE control_area_within (
        snapshot_id BIGINT NOT NULL REFERENCES control_snapshot(id),
        status      TEXT NOT NULL,
        within      TEXT NOT NULL,
        area_km2    DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (snapshot_id, status, within)
    );
    CREATE TABLE control_annotation (
        snapshot_id BIGINT NOT NULL REFERENCES control_snapshot(id),
        feature     BIGINT NOT NULL,
        label       TEXT NOT NULL,
        geom        geometry(Point, 4326) NOT NULL,
        PRIMARY KEY (snapshot_id, feature)
    );
    CREATE TABLE boundary (
        code      TEXT NOT NULL,
        name      TEXT NOT NULL,
        geom      geometry(MultiPolygon, 4326) NOT NULL,
        source_id BIGINT NOT NULL REFERENCES source(id),
        PRIMARY KEY (code, source_id)
    );
    CREATE INDEX boundary_geom ON boundary USING GIST (geom);
    CREATE TABLE place (
        id         BIGSERIAL PRIMARY KEY,
        name       TEXT NOT NULL,
        lat        DOUBLE PRECISION NOT NULL,
        lon        DOUBLE PRECISION NOT NULL,
        population BIGINT,
        admin1     TEXT,
        country    TEXT,
        source_id  BIGINT NOT NULL REFERENCES source(id),
        geom       geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
        UNIQUE (name, lat, lon)
    );
    CREATE INDEX place_geom ON place USING GIST (geom);
    CREATE INDEX place_name ON place (lower(name));
    CREATE TABLE layer_feature (
        layer     TEXT NOT NULL,
        feature   BIGINT NOT NULL,
        name      TEXT NOT NULL,
        geom      geometry(Geometry, 4326) NOT NULL,
        source_id BIGINT NOT NULL REFERENCES source(id),
        PRIMARY KEY (layer, feature, source_id)
    );

    CREATE TABLE evidence_item (
        id                   TEXT PRIMARY KEY,
        source               TEXT NOT NULL,
        status               TEXT NOT NULL,
        current_version      INTEGER NOT NULL,
        tombstoned_source_id BIGINT REFERENCES source(id)
    );
    CREATE INDEX evidence_item_scope ON evidence_item (source, status);
    CREATE TABLE evidence_version (
        item_id        TEXT NOT NULL REFERENCES evidence_item(id),
        version        INTEGER NOT NULL,
        source_id      BIGINT NOT NULL REFERENCES source(id),
        side           TEXT NOT NULL,
        category       TEXT NOT NULL,
        model          TEXT NOT NULL,
        status         TEXT NOT NULL,
        count          BIGINT NOT NULL,
        event_date     DATE,
        published_date DATE,
        recorded_at    TIMESTAMPTZ NOT NULL,
        lat            DOUBLE PRECISION,
        lon            DOUBLE PRECISION,
        precision_m    DOUBLE PRECISION,
        proof_urls     TEXT NOT NULL,
        geom           geometry(Point, 4326)
                       GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
        PRIMARY KEY (item_id, version)
    );
    CREATE INDEX evidence_version_geom ON evidence_version USING GIST (geom);

    -- Layers for QGIS and ogr2ogr: the current snapshot of each day, one
    -- row per status (fid is unique), and one view per status.
    CREATE VIEW control_layers AS
        SELECT l.fid, s.mapper, s.taken_at, l.status, l.area_km2, l.features, l.geom
        FROM control_layer l JOIN control_snapshot s ON s.id = l.snapshot_id
        WHERE s.current;
    CREATE VIEW occupied AS SELECT * FROM control_layers WHERE status = 'occupied';
    CREATE VIEW liberated AS SELECT * FROM control_layers WHERE status = 'liberated';
    CREATE VIEW contested AS SELECT * FROM control_layers WHERE status = 'contested';
    CREATE VIEW located_losses AS
        SELECT i.id, i.source, v.side, v.category, v.model, v.status, v.event_date, v.published_date, v.geom
        FROM evidence_item i JOIN evidence_version v ON v.item_id = i.id AND v.version = i.current_version
        WHERE i.tombstoned_source_id IS NULL AND v.geom IS NOT NULL;
    "#,
    },
    // 2: who wrote what, and named tokens (as in SQLite's version 5).
    Migration {
        schema: 5,
        sql: r#"
    CREATE TABLE audit (
        id         BIGSERIAL PRIMARY KEY,
        at         TIMESTAMPTZ NOT NULL,
        actor      TEXT NOT NULL,
        via        TEXT NOT NULL,
        action     TEXT NOT NULL,
        sources    BIGINT[] NOT NULL,
        added      BIGINT NOT NULL,
        updated    BIGINT NOT NULL,
        tombstoned BIGINT NOT NULL
    );
    CREATE INDEX audit_at ON audit (at);
    CREATE TABLE token (
        name       TEXT PRIMARY KEY,
        role       TEXT NOT NULL,
        sha256     TEXT NOT NULL UNIQUE,
        created_at TIMESTAMPTZ NOT NULL,
        revoked_at TIMESTAMPTZ
    );
    "#,
    },
    // 3: the layers' geometry as WKB too, for reads. Converting the PostGIS
    // value on every read (ST_AsBinary) was half the cost of fetching a
    // layer (3 layers of a snapshot: 749 µs, 371 µs from this column,
    // measured on the DeepState archive). Generated from `geom`, so the two
    // cannot disagree; stored uncompressed, as it is read whole.
    Migration {
        schema: 5,
        sql: r#"
    ALTER TABLE control_layer ADD COLUMN wkb BYTEA GENERATED ALWAYS AS (ST_AsBinary(geom)) STORED;
    ALTER TABLE control_layer ALTER COLUMN wkb SET STORAGE EXTERNAL;
    "#,
    },
    // 4: the two tally tables that take tens of thousands of rows per
    // import check their references once per statement instead of once per
    // row. A foreign key runs a lookup and a row lock per inserted row: 181
    // of the 206 ms of inserting the 22,666 General Staff figures. A
    // statement trigger over the inserted rows (a transition table) refuses
    // the same orphans with one anti-join. What a foreign key also forbids,
    // deleting a referenced series or source, is forbidden outright: both
    // are append-only (provenance is never rewritten).
    Migration {
        schema: 5,
        sql: r#"
    ALTER TABLE tally_observation DROP CONSTRAINT tally_observation_series_id_fkey,
                                  DROP CONSTRAINT tally_observation_source_id_fkey;
    ALTER TABLE tally_correction DROP CONSTRAINT tally_correction_series_id_fkey,
                                 DROP CONSTRAINT tally_correction_source_id_fkey;
    CREATE FUNCTION tally_refs_exist() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM inserted n
                   WHERE NOT EXISTS (SELECT 1 FROM tally_series s WHERE s.id = n.series_id)
                      OR NOT EXISTS (SELECT 1 FROM source s WHERE s.id = n.source_id)) THEN
            RAISE EXCEPTION 'a % row refers to a tally series or source that does not exist', TG_TABLE_NAME
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER tally_observation_refs AFTER INSERT ON tally_observation
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION tally_refs_exist();
    CREATE TRIGGER tally_correction_refs AFTER INSERT ON tally_correction
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION tally_refs_exist();
    CREATE TRIGGER tally_observation_refs_update AFTER UPDATE ON tally_observation
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION tally_refs_exist();
    CREATE TRIGGER tally_correction_refs_update AFTER UPDATE ON tally_correction
        REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION tally_refs_exist();
    CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% rows are never deleted or renumbered (provenance is append-only)', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation';
    END $$;
    CREATE TRIGGER source_append_only BEFORE DELETE OR UPDATE OF id OR TRUNCATE ON source
        FOR EACH STATEMENT EXECUTE FUNCTION append_only();
    CREATE TRIGGER tally_series_append_only BEFORE DELETE OR UPDATE OF id OR TRUNCATE ON tally_series
        FOR EACH STATEMENT EXECUTE FUNCTION append_only();
    "#,
    },
    // 5: live syncs (as SQLite's version 6): runs, requests, kept bodies.
    Migration {
        schema: 6,
        sql: r#"
    CREATE TABLE sync_run (
        id          BIGSERIAL PRIMARY KEY,
        source      TEXT NOT NULL,
        started_at  TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        ok          BOOLEAN NOT NULL,
        new_records BIGINT NOT NULL,
        requests    BIGINT NOT NULL,
        message     TEXT NOT NULL
    );
    CREATE INDEX sync_run_source ON sync_run (source, id);
    CREATE TABLE blob (
        sha256   TEXT PRIMARY KEY,
        encoding TEXT NOT NULL,
        bytes    BYTEA NOT NULL
    );
    ALTER TABLE blob ALTER COLUMN bytes SET STORAGE EXTERNAL;
    CREATE TABLE http_fetch (
        id            BIGSERIAL PRIMARY KEY,
        run_id        BIGINT NOT NULL REFERENCES sync_run(id),
        source        TEXT NOT NULL,
        url           TEXT NOT NULL,
        status        INTEGER NOT NULL,
        fetched_at    TIMESTAMPTZ NOT NULL,
        sha256        TEXT REFERENCES blob(sha256),
        etag          TEXT,
        last_modified TEXT
    );
    CREATE INDEX http_fetch_url ON http_fetch (url, id);
    "#,
    },
    // 6: sync results held for review (as SQLite's version 7).
    Migration {
        schema: 7,
        sql: r#"
    CREATE TABLE revision (
        id         BIGSERIAL PRIMARY KEY,
        source     TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        reason     TEXT NOT NULL,
        diff       TEXT NOT NULL,
        files      TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
        decided_at TIMESTAMPTZ,
        decided_by TEXT,
        why        TEXT
    );
    "#,
    },
    // 7: the bytes a reparse read (as SQLite's version 8).
    Migration {
        schema: 8,
        sql: r#"
    ALTER TABLE source ADD COLUMN bytes_sha256 TEXT;
    "#,
    },
    // 8: units and de jure countries (as SQLite's version 9).
    Migration {
        schema: 9,
        sql: r#"
    ALTER TABLE boundary ADD COLUMN level TEXT NOT NULL DEFAULT 'de-facto'
        CHECK (level IN ('de-facto', 'de-jure', 'unit'));
    ALTER TABLE boundary ADD COLUMN name_uk TEXT;
    ALTER TABLE boundary ADD COLUMN name_ru TEXT;
    "#,
    },
    // 9: areas within a country leave border slivers out (as SQLite's 10).
    Migration {
        schema: 10,
        sql: r#"
    DELETE FROM control_area_within;
    "#,
    },
    // 10: the claims ledger (as SQLite's version 11).
    Migration {
        schema: 11,
        sql: r#"
    CREATE TABLE claim (
        claim_id  TEXT NOT NULL,
        version   INTEGER NOT NULL,
        source_id BIGINT NOT NULL REFERENCES source(id),
        body      TEXT NOT NULL,
        PRIMARY KEY (claim_id, version)
    );
    "#,
    },
    // 11: vintaged counts (as SQLite's version 12).
    Migration {
        schema: 12,
        sql: r#"
    CREATE TABLE count_vintage (
        subject     TEXT NOT NULL,
        list        TEXT NOT NULL,
        granularity TEXT NOT NULL CHECK (granularity IN ('day', 'week', 'month', 'sunday-week')),
        edition     INTEGER NOT NULL,
        vintage     DATE NOT NULL,
        period      DATE NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('killed', 'missing')),
        count       BIGINT NOT NULL CHECK (count >= 0),
        source_id   BIGINT NOT NULL REFERENCES source(id),
        PRIMARY KEY (subject, list, granularity, edition, vintage, period, status)
    );
    "#,
    },
    // 12: places' names in Ukrainian and Russian (as SQLite's version 13).
    Migration {
        schema: 13,
        sql: r#"
    ALTER TABLE place ADD COLUMN name_uk TEXT;
    ALTER TABLE place ADD COLUMN name_ru TEXT;
    "#,
    },
    // 13: every tombstone, kept (as SQLite's version 14).
    Migration {
        schema: 14,
        sql: r#"
    CREATE TABLE evidence_tombstone (
        item_id   TEXT NOT NULL REFERENCES evidence_item(id),
        source_id BIGINT NOT NULL REFERENCES source(id),
        PRIMARY KEY (item_id, source_id)
    );
    INSERT INTO evidence_tombstone (item_id, source_id)
        SELECT id, tombstoned_source_id FROM evidence_item WHERE tombstoned_source_id IS NOT NULL;
    "#,
    },
    // 14: events (as SQLite's version 15).
    Migration {
        schema: 15,
        sql: r#"
    CREATE TABLE event (
        seq         BIGSERIAL PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        date        DATE NOT NULL,
        detected_at TIMESTAMPTZ NOT NULL,
        body        TEXT NOT NULL
    );
    CREATE INDEX event_kind_seq ON event (kind, seq);
    "#,
    },
    // 15: webhooks (as SQLite's version 16).
    Migration {
        schema: 16,
        sql: r#"
    CREATE TABLE subscription (
        id            TEXT PRIMARY KEY,
        url           TEXT NOT NULL,
        kinds         TEXT NOT NULL,
        secret        TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        created_at    TIMESTAMPTZ NOT NULL,
        after_seq     BIGINT NOT NULL,
        paused_at     TIMESTAMPTZ,
        paused_reason TEXT
    );
    CREATE TABLE delivery (
        id           BIGSERIAL PRIMARY KEY,
        subscription TEXT NOT NULL,
        event_seq    BIGINT NOT NULL,
        status       TEXT NOT NULL,
        attempts     INTEGER NOT NULL,
        created_at   TIMESTAMPTZ NOT NULL,
        next_at      TIMESTAMPTZ NOT NULL,
        last_at      TIMESTAMPTZ,
        last_status  INTEGER,
        last_error   TEXT,
        UNIQUE (subscription, event_seq)
    );
    CREATE INDEX delivery_due ON delivery (status, next_at);
    "#,
    },
    // 16: gazetteer coverage (as SQLite's version 17).
    Migration {
        schema: 17,
        sql: r#"
    CREATE TABLE gazetteer (
        source_id BIGINT PRIMARY KEY REFERENCES source(id),
        coverage  TEXT NOT NULL
    );
    "#,
    },
    // 17: where each map differs from the one before (as SQLite's 18).
    Migration {
        schema: 18,
        sql: r#"
    CREATE TABLE control_edit (
        snapshot_id BIGINT PRIMARY KEY REFERENCES control_snapshot(id),
        previous_id BIGINT NOT NULL REFERENCES control_snapshot(id),
        boxes       BYTEA NOT NULL
    );
    "#,
    },
    // 18: the places each edit changed (as SQLite's 19).
    Migration {
        schema: 19,
        sql: r#"
    ALTER TABLE control_edit ADD COLUMN places_upto BIGINT NOT NULL DEFAULT 0;
    CREATE TABLE control_place_change (
        place_id    BIGINT NOT NULL REFERENCES place(id),
        snapshot_id BIGINT NOT NULL REFERENCES control_snapshot(id),
        status      TEXT,
        PRIMARY KEY (place_id, snapshot_id)
    );
    CREATE INDEX control_place_change_snapshot ON control_place_change (snapshot_id);
    "#,
    },
];
