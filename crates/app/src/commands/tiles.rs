//! Vector tiles of the control history and the settlements: one pyramid
//! for every date, written as a PMTiles archive (`export site`) or served
//! tile by tile (`GET /api/v1/tiles/control/{z}/{x}/{y}`). The format is
//! described in `docs/tiles.md`.

use super::territory::Timeline;
use crate::error::{UserError, bail_bad};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use frontline_analysis::territory::PlaceIndex;
use frontline_analysis::territory::tiles::{
    AreaPiece, AreaPyramid, EXTENT, Frame, PointPiece, Span, TileId, TilePoint, point_pieces,
};
use frontline_model::{ControlStatus, Place};
use frontline_store::{PlaceFilter, Store};
use mvt::{GeomEncoder, GeomType};
use std::collections::{BTreeMap, HashMap};

/// The deepest zoom stored: a tile is then about 25 km across over
/// Ukraine, 6 m a unit, finer than any mapper draws; readers zoomed in
/// further see these tiles magnified.
pub const MAX_ZOOM: u8 = 10;
/// `to` of the pieces of the last snapshot: it stands for every day after.
pub const OPEN_END: i32 = 99_999;
/// Snapshots loaded at once while building (memory: their layers).
const CHUNK: usize = 8;

/// Places shown from zoom 0 (towns of at least this many people), from
/// [`MID_ZOOM`], and the rest from [`LOW_ZOOM`]: the page's tiers.
const TOWN: u64 = 50_000;
const MID: u64 = 10_000;
const MID_ZOOM: u8 = 7;
const LOW_ZOOM: u8 = 8;

/// A built pyramid: each tile's Mapbox Vector Tile bytes (uncompressed).
pub struct ControlTiles {
    /// Whose maps.
    pub mapper: String,
    /// Deepest zoom stored.
    pub max_zoom: u8,
    /// First and last snapshot day.
    pub days: (NaiveDate, NaiveDate),
    /// The tiles (shared: a server sends them without copying).
    pub tiles: BTreeMap<TileId, std::sync::Arc<Vec<u8>>>,
    /// The tiles gzip-compressed, those a server compressed once (it
    /// leaves small ones as they are; an export compresses as it writes).
    pub gzip: BTreeMap<TileId, std::sync::Arc<Vec<u8>>>,
}

impl ControlTiles {
    /// The tile at z/x/y: an error naming what is wrong for a tile outside
    /// the grid or beyond the deepest zoom; an empty tile (no bytes) where
    /// the history has nothing.
    pub fn get(&self, id: TileId) -> Result<&[u8]> {
        Ok(self.shared(id)?.0.map_or(&[][..], |t| t.as_slice()))
    }

    /// As [`ControlTiles::get`], the tile and its compressed bytes (when
    /// packed and worth it) as kept, to send without copying or
    /// compressing per request (a tile of a long history is megabytes).
    #[allow(clippy::type_complexity)]
    pub fn shared(&self, id: TileId) -> Result<(Option<&std::sync::Arc<Vec<u8>>>, Option<&std::sync::Arc<Vec<u8>>>)> {
        if !id.is_valid() {
            bail_bad!(
                "tile {}/{}/{} does not exist: at zoom {} x and y run from 0 to {}",
                id.z,
                id.x,
                id.y,
                id.z,
                (1u64 << id.z.min(31)) - 1
            );
        }
        if id.z > self.max_zoom {
            return Err(UserError::NotFound(format!(
                "zoom {} is beyond the tiles (0 to {}); a map shows zoom {} tiles magnified",
                id.z, self.max_zoom, self.max_zoom
            ))
            .into());
        }
        Ok((self.tiles.get(&id), self.gzip.get(&id)))
    }

    /// The archive's metadata: TileJSON-style layers and the days.
    pub fn metadata(&self) -> serde_json::Value {
        serde_json::json!({
            "name": format!("Frontline control history ({})", self.mapper),
            "attribution": "Control: as imported · Places: GeoNames (CC-BY)",
            "first_day": self.days.0.to_string(),
            "last_day": self.days.1.to_string(),
            "vector_layers": [
                {"id": "control", "minzoom": 0, "maxzoom": self.max_zoom,
                 "fields": {"status": "String", "from": "Number", "to": "Number"}},
                {"id": "places", "minzoom": 0, "maxzoom": self.max_zoom,
                 "fields": {"id": "Number", "name": "String", "name_uk": "String", "name_ru": "String",
                            "population": "Number", "status": "String", "from": "Number", "to": "Number"}}
            ]
        })
    }

    /// The pyramid as a PMTiles v3 archive, tiles gzip-compressed.
    pub fn write_pmtiles(&self, out: impl std::io::Write + std::io::Seek) -> Result<()> {
        use pmtiles::{Compression, PmTilesWriter, TileCoord, TileType};
        let mut w = PmTilesWriter::new(TileType::Mvt)
            .tile_compression(Compression::Gzip)
            .min_zoom(0)
            .max_zoom(self.max_zoom)
            .bounds(22.0, 44.0, 41.0, 53.0)
            .center(36.5, 48.6)
            .center_zoom(6)
            .metadata(self.metadata().to_string())
            .create(out)
            .context("starting the PMTiles archive")?;
        for (id, bytes) in &self.tiles {
            let coord = TileCoord::new(id.z, id.x, id.y).context("tile coordinate")?;
            w.add_tile(coord, bytes.as_slice()).context("writing a tile")?;
        }
        w.finalize().context("finishing the PMTiles archive")?;
        Ok(())
    }
}

/// Days since 1970-01-01, the unit of `from`/`to` in the tiles.
pub fn day_number(d: NaiveDate) -> i32 {
    // chrono's default date is the epoch.
    i32::try_from((d - NaiveDate::default()).num_days()).unwrap_or(i32::MAX)
}

/// Builds the pyramid of `mapper`'s history (the default mapper when none)
/// and the settlements' status over it.
pub fn build(store: &dyn Store, mapper: Option<&str>, max_zoom: u8) -> Result<ControlTiles> {
    if max_zoom > MAX_ZOOM {
        bail_bad!("max zoom {max_zoom}: the tiles go to zoom {MAX_ZOOM} at most");
    }
    let tl = Timeline::load(store, mapper)?;
    // Each snapshot's days: from the first day it is the map of to the
    // first day the next one is.
    let mut spans: Vec<(i64, Span)> = Vec::new();
    let (first, last) = tl.range(None, None)?;
    for d in super::territory::days(first, last) {
        let Some(s) = tl.for_day(d) else { continue };
        let n = day_number(d);
        match spans.last_mut() {
            Some((id, span)) if *id == s.id => span.to = n + 1,
            _ => spans.push((s.id, Span { from: n, to: n + 1 })),
        }
    }
    if let Some((_, span)) = spans.last_mut() {
        span.to = OPEN_END;
    }
    let places: Vec<Place> = store.places(&PlaceFilter::default())?;
    let mut pyramid = AreaPyramid::new(max_zoom);
    // Each place's status runs: (place index, status, span).
    let mut runs: Vec<(usize, Option<ControlStatus>, Span)> = Vec::new();
    let mut open: Vec<Option<usize>> = vec![None; places.len()];
    for chunk in spans.chunks(CHUNK) {
        let layers: Vec<Vec<frontline_store::StoredLayer>> = chunk
            .iter()
            .map(|(id, _)| store.control_layers(*id, &ControlStatus::ALL))
            .collect::<Result<_, _>>()?;
        let frames: Vec<Frame> = chunk
            .iter()
            .zip(&layers)
            .map(|((_, span), ls)| Frame {
                span: *span,
                layers: ls.iter().map(|l| (l.status, &l.geometry)).collect(),
            })
            .collect();
        pyramid.add(&frames);
        for f in &frames {
            let index = PlaceIndex::new(&f.layers);
            for (i, p) in places.iter().enumerate() {
                let status = index.status(p.lon, p.lat);
                match open[i] {
                    Some(r) if runs[r].1 == status => runs[r].2.to = f.span.to,
                    _ => {
                        open[i] = Some(runs.len());
                        runs.push((i, status, f.span));
                    }
                }
            }
        }
    }
    let areas = pyramid.into_tiles();
    let points: Vec<TilePoint> = runs
        .iter()
        .map(|(i, _, _)| {
            let p = &places[*i];
            let pop = p.population.unwrap_or(0);
            let min_zoom = if pop >= TOWN {
                0
            } else if pop >= MID {
                MID_ZOOM
            } else {
                LOW_ZOOM
            };
            TilePoint {
                lon: p.lon,
                lat: p.lat,
                min_zoom,
            }
        })
        .collect();
    let mut point_tiles = point_pieces(&points, max_zoom);
    let mut tiles = BTreeMap::new();
    let mut ids: Vec<TileId> = areas.keys().chain(point_tiles.keys()).copied().collect();
    ids.sort();
    ids.dedup();
    let empty = Vec::new();
    for id in ids {
        let a = areas.get(&id).unwrap_or(&empty);
        let pts = point_tiles.remove(&id).unwrap_or_default();
        let bytes =
            encode(a, &pts, &runs, &places).with_context(|| format!("encoding tile {}/{}/{}", id.z, id.x, id.y))?;
        tiles.insert(id, std::sync::Arc::new(bytes));
    }
    Ok(ControlTiles {
        mapper: tl.mapper.to_string(),
        max_zoom,
        days: (first, last),
        tiles,
        gzip: BTreeMap::new(),
    })
}

/// One tile's two layers as MVT bytes.
fn encode(
    areas: &[AreaPiece],
    points: &[PointPiece],
    runs: &[(usize, Option<ControlStatus>, Span)],
    places: &[Place],
) -> Result<Vec<u8>> {
    let extent = EXTENT as u32;
    let mut tile = mvt::Tile::new(extent);
    if !areas.is_empty() {
        let mut layer = tile.create_layer("control");
        for a in areas {
            let mut g = GeomEncoder::new(GeomType::Polygon);
            for ring in &a.rings {
                // MVT closes rings itself: the repeated last point is left out.
                for p in &ring[..ring.len().saturating_sub(1)] {
                    g.add_point(f64::from(p[0]), f64::from(p[1]))?;
                }
                g.complete_geom()?;
            }
            let mut f = layer.into_feature(g.encode()?);
            f.add_tag_string("status", a.status.as_str());
            f.add_tag_sint("from", i64::from(a.span.from));
            f.add_tag_sint("to", i64::from(a.span.to));
            layer = f.into_layer();
        }
        tile.add_layer(layer)?;
    }
    if !points.is_empty() {
        let mut layer = tile.create_layer("places");
        for p in points {
            let (i, status, span) = &runs[p.index];
            let place = &places[*i];
            let g = GeomEncoder::new(GeomType::Point)
                .point(f64::from(p.at[0]), f64::from(p.at[1]))?
                .encode()?;
            let mut f = layer.into_feature(g);
            if let Some(id) = place.id.and_then(|id| u64::try_from(id).ok()) {
                f.set_id(id);
                f.add_tag_uint("id", id);
            }
            f.add_tag_string("name", &place.name);
            if let Some(n) = &place.name_uk {
                f.add_tag_string("name_uk", n);
            }
            if let Some(n) = &place.name_ru {
                f.add_tag_string("name_ru", n);
            }
            f.add_tag_uint("population", place.population.unwrap_or(0));
            f.add_tag_string("status", status.map_or("none", ControlStatus::as_str));
            f.add_tag_sint("from", i64::from(span.from));
            f.add_tag_sint("to", i64::from(span.to));
            layer = f.into_layer();
        }
        tile.add_layer(layer)?;
    }
    Ok(tile.to_bytes()?)
}

/// Built pyramids by mapper, the newest of each kept with the data version
/// it was built at (the server's tiles come from here). A pyramid takes
/// seconds to build on a long history (#27), so a change of data does not
/// make readers wait: they are served the pyramid before while one build
/// at a time makes the new one ([`TileCache::serve`]).
#[derive(Default)]
pub struct TileCache {
    built: HashMap<String, (i64, std::sync::Arc<ControlTiles>)>,
    /// Builds running: the data version each was started at.
    building: HashMap<String, i64>,
    /// What each requested mapper (or none) resolved to, and at which
    /// data version: resolving lists every snapshot, which grows with the
    /// archive (5 ms at 2,800 maps), too much for every tile request.
    keys: HashMap<Option<String>, (i64, String)>,
}

/// What a reader is to serve (see [`TileCache::serve`]).
pub enum Serve {
    /// A pyramid, and the data version it was built at (older than the one
    /// asked for while a build runs); `build` when the caller is to start
    /// that build (at the version asked for).
    Built {
        /// The version it was built at.
        version: i64,
        /// The pyramid.
        tiles: std::sync::Arc<ControlTiles>,
        /// Whether the caller starts the build of the new version.
        build: bool,
    },
    /// Nothing built yet for this mapper: the caller builds and waits.
    Nothing,
}

impl TileCache {
    /// The pyramid to serve for `key` (the mapper, as [`mapper_key`] gives
    /// it) at data `version`: the one built at that version; else the newest
    /// older one, with `build` set for the one caller that is to start the
    /// new build (none starts while another build of the mapper runs).
    pub fn serve(&mut self, key: &str, version: i64) -> Serve {
        let Some((built_at, tiles)) = self.built.get(key) else {
            return Serve::Nothing;
        };
        // One build at a time: a reader after it ends starts the next.
        let build = *built_at < version && !self.building.contains_key(key);
        if build {
            self.building.insert(key.to_string(), version);
        }
        Serve::Built {
            version: *built_at,
            tiles: tiles.clone(),
            build,
        }
    }

    /// The key `mapper` resolved to at data `version` (see [`mapper_key`]),
    /// when it was resolved at that version.
    pub fn key_at(&self, mapper: Option<&str>, version: i64) -> Option<String> {
        self.keys
            .get(&mapper.map(str::to_string))
            .filter(|(v, _)| *v == version)
            .map(|(_, k)| k.clone())
    }

    /// Remembers what `mapper` resolved to at data `version` (a bounded
    /// set: only mappers that resolved are kept, and they are few).
    pub fn remember_key(&mut self, mapper: Option<&str>, version: i64, key: &str) {
        self.keys.insert(mapper.map(str::to_string), (version, key.to_string()));
    }

    /// Whether a pyramid of `key` is kept.
    pub fn has(&self, key: &str) -> bool {
        self.built.contains_key(key)
    }

    /// Keeps a pyramid built at `version`, unless a newer one is kept, and
    /// ends the build of that version (a failed build passes `None`: the
    /// next reader starts another).
    pub fn finish(&mut self, key: &str, version: i64, tiles: Option<std::sync::Arc<ControlTiles>>) {
        if self.building.get(key) == Some(&version) {
            self.building.remove(key);
        }
        let Some(tiles) = tiles else { return };
        if self.built.get(key).is_none_or(|(v, _)| *v < version) {
            self.built.insert(key.to_string(), (version, tiles));
        }
    }
}

/// The name a tile request's mapper resolves to (naming the default mapper
/// and naming none share one pyramid); an error for an unknown mapper.
pub fn mapper_key(store: &dyn Store, mapper: Option<&str>) -> Result<String> {
    Ok(Timeline::load(store, mapper)?.mapper.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiles(mapper: &str) -> std::sync::Arc<ControlTiles> {
        let day = NaiveDate::default();
        std::sync::Arc::new(ControlTiles {
            mapper: mapper.into(),
            max_zoom: 0,
            days: (day, day),
            tiles: BTreeMap::new(),
            gzip: BTreeMap::new(),
        })
    }

    fn seen(s: Serve) -> Option<(i64, bool)> {
        match s {
            Serve::Built { version, build, .. } => Some((version, build)),
            Serve::Nothing => None,
        }
    }

    /// A change of data never makes a reader wait while a pyramid exists:
    /// the one before is served, one reader starts the new build, and the
    /// new pyramid is served once kept. A failed build lets the next
    /// reader start again; a build of older data never replaces newer.
    #[test]
    fn readers_are_served_the_pyramid_before_while_one_build_runs() {
        let mut c = TileCache::default();
        assert!(seen(c.serve("deepstate", 1)).is_none());
        c.finish("deepstate", 1, Some(tiles("deepstate")));
        assert_eq!(seen(c.serve("deepstate", 1)), Some((1, false)));
        // The data moved on: the pyramid of 1, and one build of 2.
        assert_eq!(seen(c.serve("deepstate", 2)), Some((1, true)));
        assert_eq!(seen(c.serve("deepstate", 2)), Some((1, false)));
        // Moved on again during that build: no second build at once...
        assert_eq!(seen(c.serve("deepstate", 3)), Some((1, false)));
        c.finish("deepstate", 2, Some(tiles("deepstate")));
        // ...the next reader after it starts the build of 3.
        assert_eq!(seen(c.serve("deepstate", 3)), Some((2, true)));
        assert_eq!(seen(c.serve("deepstate", 3)), Some((2, false)));
        // The build of 3 failed: the next reader starts another.
        c.finish("deepstate", 3, None);
        assert_eq!(seen(c.serve("deepstate", 3)), Some((2, true)));
        c.finish("deepstate", 3, Some(tiles("deepstate")));
        assert_eq!(seen(c.serve("deepstate", 3)), Some((3, false)));
        // A mapper's key is kept per data version.
        c.remember_key(None, 3, "deepstate");
        assert_eq!(c.key_at(None, 3).as_deref(), Some("deepstate"));
        assert_eq!(c.key_at(None, 4), None);
        assert_eq!(c.key_at(Some("deepstate"), 3), None);
        // Older data does not replace newer; mappers are apart.
        c.finish("deepstate", 2, Some(tiles("deepstate")));
        assert_eq!(seen(c.serve("deepstate", 3)), Some((3, false)));
        assert!(seen(c.serve("isw", 3)).is_none());
    }
}
