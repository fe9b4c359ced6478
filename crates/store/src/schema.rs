//! The one schema version both backends share.
//!
//! Each backend keeps its own list of migrations, because the SQL differs,
//! but every entry says which shared version it brings the schema to. A
//! table or column added for a feature is one version on both backends, so
//! "version 14" means the same tables on SQLite and PostgreSQL.
//!
//! PostgreSQL's list began later (its first entry brings the schema to the
//! SQLite schema's version 4) and has two entries of its own at version 5
//! (WKB reads, statement-level tally checks). Its `frontline.schema_version`
//! row counts applied entries, as before, so existing databases need no
//! conversion; [`PgStore::schema_version`](crate::PgStore::schema_version)
//! reports the shared number.

/// One step of a backend's schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    /// The shared schema version the database is at after this step.
    pub schema: i64,
    /// What it runs.
    pub sql: &'static str,
}

/// The schema version of this build, on either backend.
pub const SCHEMA_VERSION: i64 = 19;

/// The shared version a backend's database is at after `applied` entries
/// of `list` (0 when none).
pub(crate) fn reached(list: &[Migration], applied: i64) -> i64 {
    usize::try_from(applied)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| list.get(i))
        .map_or(0, |m| m.schema)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::postgres::MIGRATIONS as PG;
    use crate::sqlite::MIGRATIONS as SQLITE;

    /// Both lists end at this build's version and never go back; SQLite's
    /// entries are its `user_version`, one per version; every version
    /// PostgreSQL's list covers has an entry there, so a step added to one
    /// backend and forgotten in the other fails here.
    #[test]
    fn both_backends_are_numbered_alike() {
        assert_eq!(SQLITE.last().map(|m| m.schema), Some(SCHEMA_VERSION));
        assert_eq!(PG.last().map(|m| m.schema), Some(SCHEMA_VERSION));
        for (i, m) in SQLITE.iter().enumerate() {
            assert_eq!(m.schema, i as i64 + 1, "SQLite entry {i}");
        }
        assert!(PG.windows(2).all(|w| w[0].schema <= w[1].schema));
        for v in PG[0].schema..=SCHEMA_VERSION {
            assert!(PG.iter().any(|m| m.schema == v), "no PostgreSQL step to version {v}");
        }
        assert_eq!(reached(PG, 0), 0);
        assert_eq!(reached(PG, 1), 4);
        assert_eq!(reached(PG, PG.len() as i64), SCHEMA_VERSION);
    }
}
