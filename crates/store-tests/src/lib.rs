//! The store conformance suite: what every `Store` backend must do, written
//! once against the trait and run unchanged on each backend
//! (`tests/sqlite.rs`, `tests/postgres.rs`) through [`conformance!`].
//!
//! A case receives a [`Db`]: a URL that `frontline_store::open` accepts,
//! so cases can open several handles on one database (concurrent writers,
//! another process's view of a write).

pub mod cases;
mod edits;
mod events;
pub mod fixtures;
pub mod pg;
mod webhooks;

use frontline_store::Store;

/// One empty database for one case, and whatever keeps it alive.
pub struct Db {
    /// What `frontline_store::open` takes.
    pub url: String,
    _keep: Option<tempfile::TempDir>,
}

impl Db {
    /// A new SQLite file in a temporary folder (removed on drop).
    pub fn sqlite() -> Db {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite:{}", dir.path().join("frontline.db").display());
        Db { url, _keep: Some(dir) }
    }

    /// A new database in the shared throwaway PostgreSQL cluster, or `None`
    /// when PostgreSQL is not installed (and not required, see [`pg::required`]).
    pub fn postgres() -> Option<Db> {
        pg::fresh_url().map(|url| Db { url, _keep: None })
    }

    /// Opens a handle on this database.
    pub fn open(&self) -> Box<dyn Store + Send> {
        match frontline_store::open(&self.url) {
            Ok(s) => s,
            Err(e) => panic!("opening {}: {e}", self.url),
        }
    }
}

/// Generates one `#[test]` per conformance case for a backend. `$db` is an
/// expression of type `Option<Db>` evaluated per test; `None` skips (the
/// expression has said why).
#[macro_export]
macro_rules! conformance {
    ($db:expr) => {
        $crate::conformance!(@cases $db;
            data_version_moves_on_every_write_only,
            same_bytes_twice_add_nothing,
            identical_figures_are_not_stored_again,
            a_revision_becomes_current,
            merge_baseline_sums_predecessors_last_figures,
            corrections_and_notes_round_trip,
            unknown_series_is_none,
            failed_batch_stores_nothing,
            control_import_commits_all_or_nothing,
            control_layers_round_trip_exactly,
            control_labels_come_without_geometry,
            newer_import_of_a_snapshot_wins,
            clipped_areas_are_forgotten_with_their_outline,
            boundaries_places_and_layers,
            outlines_as_known_on_a_past_day,
            places_as_known_on_a_past_day,
            de_jure_outlines_units_and_names,
            evidence_versions_tombstones_and_history,
            tombstones_stay_within_the_imported_statuses,
            partial_lists_retire_only_what_they_name_gone,
            evidence_filter_is_applied_by_the_store,
            evidence_as_known_on_a_past_day,
            tallies_as_known_on_a_past_day,
            snapshots_as_known_on_a_past_day,
            a_view_as_of_a_day_is_the_store_then,
            claims_are_versioned_by_id,
            claims_as_known_on_a_past_day,
            vintages_are_stored_whole_once,
            concurrent_writers_are_serialized,
            a_write_is_seen_by_another_handle,
            every_write_is_audited,
            tokens_are_named_hashed_and_revocable,
            sync_runs_requests_and_bodies_are_kept,
            revisions_are_held_then_decided_once,
            events_are_recorded_once_newest_first,
            control_edits_are_kept_per_snapshot,
            webhook_deliveries_are_queued_once_and_kept
        );
    };
    (@cases $db:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let db: Option<$crate::Db> = $db;
                if let Some(db) = db {
                    $crate::cases::$case(&db);
                }
            }
        )*
    };
}
