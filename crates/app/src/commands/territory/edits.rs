//! Where each map differs from the one before (#27): recorded after a
//! control import, so that a settlement's history decodes only the maps
//! that changed around the place instead of every map of the archive.
//!
//! A record ties a snapshot to the one before it when it was made. Maps
//! are never changed, so while that pair still follows in a timeline the
//! boxes hold; where another map has come between them (a backfill), or
//! the timeline is another (as of an earlier day), the reader tests the
//! map itself. The records are a shortcut, never a source of answers.

use anyhow::Result;
use chrono::NaiveDate;
use frontline_analysis::territory::{PlaceIndex, PointsByLon, changed_boxes, statuses};
use frontline_model::{ControlStatus, Mapper, Place};
use frontline_store::{ControlEdit, PlaceChange, PlaceFilter, SnapshotInfo, Store, StoredLayer};
use geo::{MultiPolygon, Rect, coord};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// The status name used for places outside every layer.
pub(crate) const NONE: &str = "none";

/// One place's change of status between two consecutive snapshots of a
/// mapper: the place, the status before and after (`none` outside every
/// layer), and the snapshot that first shows it.
pub struct Change {
    /// The place.
    pub place: Place,
    /// Its status on the snapshot before.
    pub from: &'static str,
    /// Its status on this one.
    pub to: &'static str,
    /// The snapshot that first shows the new status.
    pub snapshot: SnapshotInfo,
}

/// What [`record`] did.
#[derive(Default)]
pub struct Recorded {
    /// How many edits it recorded (new, or again over an older record).
    pub edits: usize,
    /// Every place's change of status on the snapshots taken on or after
    /// the day asked for, recorded now or before, in snapshot order.
    pub changes: Vec<Change>,
}

/// Records where each of `mapper`'s snapshots taken on or after `since`
/// differs from the one before it, and which stored places changed status
/// there, for those not recorded against that map and those places yet;
/// returns the changes of all of them (a handover's evidence). New maps
/// change the records of themselves and of the maps after them only. An
/// archive's first import decodes each map once, and compares [`CHUNK`]
/// pairs at a time on every core; a daily import decodes two maps.
pub fn record(store: &mut dyn Store, mapper: &Mapper, since: NaiveDate) -> Result<Recorded> {
    let snaps = store.control_snapshots(Some(mapper))?;
    let first = snaps.iter().position(|s| s.taken_at.date_naive() >= since);
    let Some(first) = first else {
        return Ok(Recorded::default());
    };
    let snaps = &snaps[first.saturating_sub(1)..];
    if snaps.len() < 2 {
        return Ok(Recorded::default());
    }
    let places = store.places(&PlaceFilter::default())?;
    // Place ids only grow and places never move: a record that tested the
    // places up to the highest id now holds for every place stored now.
    let upto = places.iter().filter_map(|p| p.id).max().unwrap_or(0);
    let slot: HashMap<i64, usize> = places
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.id.map(|id| (id, i)))
        .collect();
    let known: HashMap<i64, ControlEdit> = store
        .control_edits(mapper, Some(since))?
        .into_iter()
        .map(|e| (e.snapshot_id, e))
        .collect();
    // Every place's status on the map before the first new one.
    let mut status: Vec<Option<ControlStatus>> = vec![None; places.len()];
    let mut held: Option<(i64, Vec<StoredLayer>)> = None;
    if !places.is_empty() {
        let layers = store.control_layers(snaps[0].id, &ControlStatus::ALL)?;
        let index = PlaceIndex::new(&refs(&layers));
        status = places.par_iter().map(|p| index.status(p.lon, p.lat)).collect();
        held = Some((snaps[0].id, layers));
    }
    let points: Vec<(f64, f64)> = places.iter().map(|p| (p.lon, p.lat)).collect();
    let by_lon = PointsByLon::new(&points);
    let mut walk = Walk {
        places: &places,
        slot,
        status,
        upto,
        edits: Vec::new(),
        changes: Vec::new(),
    };
    let pairs: Vec<&[SnapshotInfo]> = snaps.windows(2).collect();
    let chunks: Vec<&[&[SnapshotInfo]]> = pairs.chunks(CHUNK).collect();
    let mut maps: Maps = held.into_iter().map(|(id, l)| (id, Arc::new(l))).collect();
    let mut planned = match chunks.first() {
        Some(c) => plan(&*store, c, (&known, upto), &by_lon, &mut maps)?,
        None => Default::default(),
    };
    for (n, chunk) in chunks.iter().enumerate() {
        let (steps, jobs) = std::mem::take(&mut planned);
        let these = std::mem::take(&mut maps);
        // The chunk's last map is the next one's map before.
        let last = chunk.last().and_then(|p| these.get_key_value(&p[1].id));
        maps.extend(last.map(|(id, l)| (*id, l.clone())));
        // This chunk is compared on the pool while the next one's maps are
        // read (the store is one connection, read on this thread).
        let mut done = Vec::new();
        planned = rayon::in_place_scope(|s| {
            s.spawn(|_| {
                done = jobs
                    .par_iter()
                    .map(|job| job.compare(&these, &by_lon, &points))
                    .collect()
            });
            match chunks.get(n + 1) {
                Some(c) => plan(&*store, c, (&known, upto), &by_lon, &mut maps),
                None => Ok(Default::default()),
            }
        })?;
        walk.apply(chunk, steps, done);
    }
    let out = Recorded {
        edits: walk.edits.len(),
        changes: walk.changes,
    };
    if !walk.edits.is_empty() {
        store.put_control_edits(&walk.edits)?;
    }
    Ok(out)
}

/// Decoded maps by snapshot id, shared between a chunk's comparisons and
/// the next chunk (its map before).
type Maps = HashMap<i64, Arc<Vec<StoredLayer>>>;

/// The walk along a timeline's pairs of maps, in order: every place's
/// status on the map reached, the edits to record and the changes found.
struct Walk<'a> {
    places: &'a [Place],
    /// Place id → index in `places`.
    slot: HashMap<i64, usize>,
    status: Vec<Option<ControlStatus>>,
    upto: i64,
    edits: Vec<ControlEdit>,
    changes: Vec<Change>,
}

impl Walk<'_> {
    /// Walks on over `chunk`'s pairs: each one's changes, recorded or just
    /// compared (`done`, in job order), against every place's status on
    /// the map before.
    fn apply(&mut self, chunk: &[&[SnapshotInfo]], steps: Vec<Step>, mut done: Vec<Compared>) {
        let name = |s: Option<ControlStatus>| s.map_or(NONE, ControlStatus::as_str);
        for (pair, step) in chunk.iter().zip(steps) {
            let (prev, this) = (&pair[0], &pair[1]);
            let changes = match step {
                Step::Known(changes) => changes,
                Step::Compared(k) => {
                    let c = std::mem::take(&mut done[k]);
                    let changes: Vec<PlaceChange> = c
                        .near
                        .iter()
                        .zip(c.found)
                        .filter(|(i, now)| *now != self.status[**i])
                        .filter_map(|(&i, now)| self.places[i].id.map(|place_id| PlaceChange { place_id, status: now }))
                        .collect();
                    self.edits.push(ControlEdit {
                        snapshot_id: this.id,
                        previous_id: prev.id,
                        boxes: c.boxes,
                        places_upto: self.upto,
                        changes: changes.clone(),
                    });
                    changes
                }
            };
            for c in changes {
                let Some(&i) = self.slot.get(&c.place_id) else { continue };
                self.changes.push(Change {
                    place: self.places[i].clone(),
                    from: name(self.status[i]),
                    to: name(c.status),
                    snapshot: this.clone(),
                });
                self.status[i] = c.status;
            }
        }
    }
}

/// The pairs of `chunk` as steps: those recorded against every place
/// stored (`known`, up to place id `upto`) keep their changes; the others
/// become jobs, with the maps they need read into `maps`.
fn plan(
    store: &dyn Store,
    chunk: &[&[SnapshotInfo]],
    (known, upto): (&HashMap<i64, ControlEdit>, i64),
    by_lon: &PointsByLon,
    maps: &mut Maps,
) -> Result<(Vec<Step>, Vec<Job>)> {
    let (mut steps, mut jobs) = (Vec::with_capacity(chunk.len()), Vec::new());
    for pair in chunk {
        let (prev, this) = (pair[0].id, pair[1].id);
        let before = known.get(&this).filter(|e| e.previous_id == prev);
        if let Some(e) = before.filter(|e| e.places_upto >= upto) {
            steps.push(Step::Known(e.changes.clone()));
            continue;
        }
        // Recorded boxes need the later map only if a place lies in them;
        // otherwise both maps are compared.
        let near = before.map(|e| by_lon.in_boxes(&rects(&e.boxes)));
        let read = match &near {
            Some(n) if n.is_empty() => vec![],
            Some(_) => vec![this],
            None => vec![prev, this],
        };
        for id in read {
            if let std::collections::hash_map::Entry::Vacant(slot) = maps.entry(id) {
                slot.insert(Arc::new(store.control_layers(id, &ControlStatus::ALL)?));
            }
        }
        steps.push(Step::Compared(jobs.len()));
        jobs.push(Job {
            prev,
            this,
            boxes: before.map(|e| e.boxes.clone()),
            near,
        });
    }
    Ok((steps, jobs))
}

/// Pairs of maps compared at once: their maps are read in turn, then
/// compared on every core; at most this many and one more are decoded at a
/// time.
const CHUNK: usize = 16;

/// What is known of a pair of maps before comparing it.
enum Step {
    /// Recorded against every place stored: its changes.
    Known(Vec<PlaceChange>),
    /// To compare: the job's number in its chunk.
    Compared(usize),
}

/// One pair of maps to compare: the boxes recorded for it if any, and
/// then the places in them.
struct Job {
    prev: i64,
    this: i64,
    boxes: Option<Vec<[f64; 4]>>,
    near: Option<Vec<usize>>,
}

/// Where a pair of maps differs, the places in those boxes, and each one's
/// status on the later map.
#[derive(Default)]
struct Compared {
    boxes: Vec<[f64; 4]>,
    near: Vec<usize>,
    found: Vec<Option<ControlStatus>>,
}

impl Job {
    /// Compares the pair, its maps taken from `maps` (every map the job
    /// needs is there: both without recorded boxes, the later one when a
    /// place lies in them).
    fn compare(&self, maps: &Maps, by_lon: &PointsByLon, points: &[(f64, f64)]) -> Compared {
        let layers = |id: i64| maps.get(&id).map(|l| refs(l)).unwrap_or_default();
        let boxes = match &self.boxes {
            Some(b) => b.clone(),
            None => changed_boxes(&layers(self.prev), &layers(self.this))
                .iter()
                .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
                .collect(),
        };
        let near = match &self.near {
            Some(n) => n.clone(),
            None => by_lon.in_boxes(&rects(&boxes)),
        };
        let found = if near.is_empty() {
            Vec::new()
        } else {
            let at: Vec<(f64, f64)> = near.iter().map(|&i| points[i]).collect();
            statuses(&layers(self.this), &at)
        };
        Compared { boxes, near, found }
    }
}

/// Stored boxes as rectangles.
fn rects(boxes: &[[f64; 4]]) -> Vec<Rect<f64>> {
    boxes
        .iter()
        .map(|[w, s, e, n]| Rect::new(coord! { x: *w, y: *s }, coord! { x: *e, y: *n }))
        .collect()
}

pub(crate) fn refs(layers: &[StoredLayer]) -> Vec<(ControlStatus, &MultiPolygon<f64>)> {
    layers.iter().map(|l| (l.status, &l.geometry)).collect()
}

/// The recorded edits of a timeline, to ask of each map whether a point
/// can have changed status since the map before.
pub struct Edits(HashMap<i64, (i64, Vec<Rect<f64>>)>);

impl Edits {
    /// The records of `mapper`'s maps (taken on or after `from`).
    pub fn load(store: &dyn Store, mapper: &Mapper, from: Option<NaiveDate>) -> Result<Self> {
        Ok(Edits(
            store
                .control_edits(mapper, from)?
                .into_iter()
                .map(|e| (e.snapshot_id, (e.previous_id, rects(&e.boxes))))
                .collect(),
        ))
    }

    /// Whether the point keeps on `this` the status it had on `prev`, the
    /// map before in the reader's timeline: only when `this` was recorded
    /// against that very map and the point lies outside its boxes. Anything
    /// else (no record, another map before) is "maybe not".
    pub fn unchanged(&self, prev: &SnapshotInfo, this: &SnapshotInfo, lon: f64, lat: f64) -> bool {
        self.boxes(prev, this)
            .is_some_and(|boxes| !frontline_analysis::territory::in_boxes(boxes, coord! { x: lon, y: lat }))
    }

    /// Where `this` can differ from `prev`, the map before in the reader's
    /// timeline, when it was recorded against that very map; else none.
    pub fn boxes(&self, prev: &SnapshotInfo, this: &SnapshotInfo) -> Option<&[Rect<f64>]> {
        self.0
            .get(&this.id)
            .filter(|(before, _)| *before == prev.id)
            .map(|(_, boxes)| boxes.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_model::SourceKind;
    use frontline_store::SqliteStore;
    use frontline_store_tests::fixtures::{meta, snapshot, square};

    /// Adds a map of one occupied square at `x0` (0.1° wide, at 48° N).
    fn add(s: &mut SqliteStore, sha: &str, day: u32, x0: f64) {
        let mut snap = snapshot(
            "deepstate",
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2024, 8, day, 12, 0, 0).unwrap(),
            ControlStatus::Occupied,
            1.0,
        );
        snap.layers[0].geometry = square(x0, 48.0, 0.1, false);
        let mut tx = s.import_control().unwrap();
        tx.add(&meta(sha, SourceKind::ControlMap), &snap).unwrap();
        tx.commit().unwrap();
    }

    fn pairs(s: &SqliteStore) -> Vec<(i64, i64)> {
        let m = Mapper::new("deepstate");
        s.control_edits(&m, None)
            .unwrap()
            .iter()
            .map(|e| (e.snapshot_id, e.previous_id))
            .collect()
    }

    /// Stores a place at (`lon`, 48.05).
    fn place(s: &mut SqliteStore, name: &str, lon: f64) -> i64 {
        let p = Place {
            id: None,
            name: name.into(),
            name_uk: None,
            name_ru: None,
            lat: 48.05,
            lon,
            population: Some(1_000),
            admin1: None,
            country: Some("UA".into()),
        };
        s.import_places(
            &meta(name, SourceKind::Places),
            &frontline_model::GazetteerCoverage::default(),
            &[p],
        )
        .unwrap();
        let all = s.places(&PlaceFilter::default()).unwrap();
        all.iter().find(|p| p.name == name).and_then(|p| p.id).unwrap()
    }

    /// What changed, as (place, from, to, day of the month).
    fn changes(r: &Recorded) -> Vec<(String, &str, &str, u32)> {
        use chrono::Datelike;
        r.changes
            .iter()
            .map(|c| (c.place.name.clone(), c.from, c.to, c.snapshot.taken_at.day()))
            .collect()
    }

    fn history(s: &SqliteStore, id: i64) -> Vec<(u32, String)> {
        use chrono::Datelike;
        let req = crate::requests::PlaceHistoryRequest {
            id: Some(id),
            place: None,
            mapper: None,
        };
        super::super::places::history(s, &req)
            .unwrap()
            .into_iter()
            .map(|r| (r.date.day(), r.status))
            .collect()
    }

    /// Each map is recorded against the one before it, once, with the
    /// places that changed on it; a map that comes between two later has
    /// the second recorded again against it; a place stored later has the
    /// maps recorded again for it. The boxes hold where the squares moved,
    /// and nothing else; a history reads the places' records.
    #[test]
    fn each_map_is_recorded_against_the_one_before() {
        let mut s = SqliteStore::open_in_memory().unwrap();
        let deepstate = Mapper::new("deepstate");
        let day1 = chrono::NaiveDate::from_ymd_opt(2024, 8, 1).unwrap();
        let inside = place(&mut s, "Inside", 37.05);
        place(&mut s, "Outside", 36.5);
        add(&mut s, "a", 1, 37.0);
        add(&mut s, "c", 3, 37.0);
        let r = record(&mut s, &deepstate, day1).unwrap();
        assert_eq!((r.edits, changes(&r)), (1, vec![]));
        assert_eq!(record(&mut s, &deepstate, day1).unwrap().edits, 0);
        let ids: Vec<i64> = s.control_snapshots(None).unwrap().iter().map(|i| i.id).collect();
        assert_eq!(pairs(&s), [(ids[1], ids[0])]);
        assert_eq!(
            s.control_edits(&deepstate, None).unwrap()[0].boxes,
            Vec::<[f64; 4]>::new()
        );
        add(&mut s, "b", 2, 38.0);
        // From the new map's day: it, and the map after it again; the
        // place inside the square left it on the 2nd and is back on the 3rd.
        let day2 = chrono::NaiveDate::from_ymd_opt(2024, 8, 2).unwrap();
        let r = record(&mut s, &deepstate, day2).unwrap();
        let want = vec![
            ("Inside".to_string(), "occupied", "none", 2),
            ("Inside".to_string(), "none", "occupied", 3),
        ];
        assert_eq!((r.edits, changes(&r)), (2, want.clone()));
        // Recorded already: the same changes, read back without a map.
        let r = record(&mut s, &deepstate, day1).unwrap();
        assert_eq!((r.edits, changes(&r)), (0, want.clone()));
        let ids: Vec<i64> = s.control_snapshots(None).unwrap().iter().map(|i| i.id).collect();
        // Listed in id order: the map of the 2nd came last.
        assert_eq!(pairs(&s), [(ids[2], ids[1]), (ids[1], ids[0])]);
        let edits = Edits::load(&s, &deepstate, None).unwrap();
        let snaps = s.control_snapshots(None).unwrap();
        // Where neither square lies, nothing changed; inside either, maybe.
        assert!(edits.unchanged(&snaps[0], &snaps[1], 36.5, 48.05));
        assert!(!edits.unchanged(&snaps[0], &snaps[1], 37.05, 48.05));
        assert!(!edits.unchanged(&snaps[1], &snaps[2], 38.05, 48.05));
        // Another map before than the one recorded: maybe.
        assert!(!edits.unchanged(&snaps[0], &snaps[2], 36.5, 48.05));
        // No record: maybe.
        assert!(!edits.unchanged(&snaps[2], &snaps[0], 36.5, 48.05));
        let by_day = vec![(1, "occupied".to_string()), (2, "none".into()), (3, "occupied".into())];
        assert_eq!(history(&s, inside), by_day);
        // A place stored after: every map recorded again, for it too.
        let later = place(&mut s, "Later", 38.05);
        let r = record(&mut s, &deepstate, day1).unwrap();
        assert_eq!(r.edits, 2);
        assert_eq!(r.changes.len(), 4);
        let on = |day| vec![(1, "none".to_string()), (2, "occupied".into()), (day, "none".into())];
        assert_eq!(history(&s, later), on(3));
        // The history is the records' where they hold: a record that says
        // otherwise (made up here) is what it answers...
        let mut made_up = s.control_edits(&deepstate, None).unwrap();
        made_up.retain(|e| e.snapshot_id == ids[2]);
        for c in made_up[0].changes.iter_mut().filter(|c| c.place_id == later) {
            c.status = Some(ControlStatus::Contested);
        }
        s.put_control_edits(&made_up).unwrap();
        assert_eq!(history(&s, later)[2], (3, "contested".to_string()));
        // ...but not for a place stored after the record: that one's maps
        // are tested (the real answer).
        made_up[0].places_upto = later - 1;
        s.put_control_edits(&made_up).unwrap();
        assert_eq!(history(&s, later), on(3));
        assert_eq!(history(&s, inside), by_day);
        // ...nor where another map came before it than the one it was
        // recorded against.
        made_up[0].places_upto = later;
        made_up[0].previous_id = ids[0];
        s.put_control_edits(&made_up).unwrap();
        assert_eq!(history(&s, later), on(3));
    }
}
