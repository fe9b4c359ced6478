//! Vector tiles of a whole control history: every snapshot's layers cut
//! into Web Mercator tiles, each piece carrying the days it is valid.
//!
//! One archive then serves every date: a map moves through time by changing
//! a filter on `from`/`to`, not by fetching. A piece that stays the same
//! from one snapshot to the next (the ground far from the front, and at low
//! zoom most of it) is stored once with a longer span, so the archive grows
//! with the changes, not with the number of snapshots.
//!
//! Cutting follows geojson-vt and tippecanoe: each ring is clipped to the
//! tile's square plus a small buffer (Sutherland–Hodgman against the four
//! edges, linear in the ring's length, which is what a tile pyramid of
//! hundreds of snapshots needs), children are cut from their parent's
//! pieces, and each zoom is simplified to a fraction of its tile unit
//! before the coordinates are rounded to the tile grid.

use frontline_model::ControlStatus;
use geo::{Coord, LineString, MultiPolygon, Simplify};
use std::collections::HashMap;

/// Tile grid units per tile side (the MVT default).
pub const EXTENT: i32 = 4096;
/// Units drawn beyond each tile edge, so neighbouring fills meet without a
/// seam; the renderer masks them.
pub const BUFFER: i32 = 64;
/// Simplification tolerance in tile units (a 512-pixel tile shows 8 units
/// a pixel, so this is a quarter of a pixel at the tile's own zoom).
const SIMPLIFY: f64 = 2.0;
/// The highest zoom a caller may ask for: beyond it a 4096-unit grid is
/// finer than a metre and the pyramid only grows.
pub const MAX_ZOOM: u8 = 14;

/// One tile of the pyramid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileId {
    /// Zoom.
    pub z: u8,
    /// Column, from the antimeridian eastwards.
    pub x: u32,
    /// Row, from the north.
    pub y: u32,
}

impl TileId {
    /// Whether the column and row exist at this zoom.
    pub fn is_valid(&self) -> bool {
        self.z <= 31 && u64::from(self.x) < (1u64 << self.z) && u64::from(self.y) < (1u64 << self.z)
    }
}

/// Days valid, as days since 1970-01-01: `from` inclusive, `to` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// First day.
    pub from: i32,
    /// Day after the last.
    pub to: i32,
}

/// One snapshot's layers and the days it is the map of.
pub struct Frame<'a> {
    /// The days.
    pub span: Span,
    /// Its layers.
    pub layers: Vec<(ControlStatus, &'a MultiPolygon<f64>)>,
}

/// A ring in tile units, closed (first point repeated last). Exterior rings
/// run clockwise on screen (y down), holes anticlockwise, each exterior
/// followed by its holes: the order MVT asks for.
pub type Ring = Vec<[i32; 2]>;

/// A layer's piece in one tile, valid over a span of days.
#[derive(Clone, Debug, PartialEq)]
pub struct AreaPiece {
    /// The layer.
    pub status: ControlStatus,
    /// The days.
    pub span: Span,
    /// The rings.
    pub rings: Vec<Ring>,
}

/// A point to place in the pyramid, from zoom `min_zoom` up.
pub struct TilePoint {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// The lowest zoom it appears at.
    pub min_zoom: u8,
}

/// A point in one tile: which input point (its index) and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PointPiece {
    /// Index into the points given.
    pub index: usize,
    /// Position in tile units.
    pub at: [i32; 2],
}

/// A ring in Web Mercator's unit square (x east, y south, both 0..1).
type URing = Vec<[f64; 2]>;
type UPoly = Vec<URing>;

/// Web Mercator's unit square: (0, 0) the north-west corner. Latitudes are
/// held inside Mercator's ±85.05°.
pub fn unit(lon: f64, lat: f64) -> [f64; 2] {
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    [x, y]
}

/// Every snapshot's layers cut into tiles from zoom 0 to `max_zoom`, each
/// piece with the days it holds; a piece equal to the same tile's piece of
/// the snapshot before extends that piece's span. Frames come in time
/// order, a few at a time (a caller need not hold every snapshot at once).
pub struct AreaPyramid {
    max_zoom: u8,
    tiles: HashMap<TileId, Vec<AreaPiece>>,
    // Where each (tile, status)'s latest piece sits, to extend it.
    latest: HashMap<(TileId, ControlStatus), usize>,
}

impl AreaPyramid {
    /// An empty pyramid up to `max_zoom` (at most [`MAX_ZOOM`]).
    pub fn new(max_zoom: u8) -> Self {
        AreaPyramid {
            max_zoom: max_zoom.min(MAX_ZOOM),
            tiles: HashMap::new(),
            latest: HashMap::new(),
        }
    }

    /// Adds the next frames, each following the one before.
    pub fn add(&mut self, frames: &[Frame]) {
        use rayon::prelude::*;
        let max_zoom = self.max_zoom;
        // Cut on every core; merged in time order so that equal pieces join.
        let cut: Vec<Vec<(TileId, ControlStatus, Vec<Ring>)>> = frames
            .par_iter()
            .map(|f| {
                let mut pieces = Vec::new();
                for (status, mp) in &f.layers {
                    descend(TileId { z: 0, x: 0, y: 0 }, project(mp), max_zoom, &mut |id, rings| {
                        pieces.push((id, *status, rings))
                    });
                }
                pieces
            })
            .collect();
        for (f, pieces) in frames.iter().zip(cut) {
            for (id, status, rings) in pieces {
                let list = self.tiles.entry(id).or_default();
                if let Some(&i) = self.latest.get(&(id, status)) {
                    let p = &mut list[i];
                    if p.span.to == f.span.from && p.rings == rings {
                        p.span.to = f.span.to;
                        continue;
                    }
                }
                self.latest.insert((id, status), list.len());
                list.push(AreaPiece {
                    status,
                    span: f.span,
                    rings,
                });
            }
        }
    }

    /// The tiles and their pieces.
    pub fn into_tiles(self) -> HashMap<TileId, Vec<AreaPiece>> {
        self.tiles
    }
}

/// [`AreaPyramid`] of the given frames at once.
pub fn area_pieces(frames: &[Frame], max_zoom: u8) -> HashMap<TileId, Vec<AreaPiece>> {
    let mut p = AreaPyramid::new(max_zoom);
    p.add(frames);
    p.into_tiles()
}

/// Points placed in every tile from their own minimum zoom to `max_zoom`.
pub fn point_pieces(points: &[TilePoint], max_zoom: u8) -> HashMap<TileId, Vec<PointPiece>> {
    let mut out: HashMap<TileId, Vec<PointPiece>> = HashMap::new();
    for (index, p) in points.iter().enumerate() {
        let [ux, uy] = unit(p.lon, p.lat);
        for z in p.min_zoom..=max_zoom.min(MAX_ZOOM) {
            let n = f64::from(1u32 << z);
            let (fx, fy) = ((ux * n).clamp(0.0, n - 1e-9), (uy * n).clamp(0.0, n - 1e-9));
            let id = TileId {
                z,
                x: fx as u32,
                y: fy as u32,
            };
            let at = [
                ((fx - fx.floor()) * f64::from(EXTENT)).round() as i32,
                ((fy - fy.floor()) * f64::from(EXTENT)).round() as i32,
            ];
            out.entry(id).or_default().push(PointPiece { index, at });
        }
    }
    out
}

/// Polygons into the unit square, exteriors clockwise on screen.
fn project(mp: &MultiPolygon<f64>) -> Vec<UPoly> {
    mp.0.iter()
        .map(|p| {
            let mut rings = vec![ring(p.exterior(), true)];
            rings.extend(p.interiors().iter().map(|r| ring(r, false)));
            rings
        })
        .filter(|rings: &UPoly| rings[0].len() >= 4)
        .collect()
}

fn ring(ls: &LineString<f64>, exterior: bool) -> URing {
    let mut r: URing = ls.0.iter().map(|c| unit(c.x, c.y)).collect();
    // y runs south, so a positive shoelace sum is clockwise on screen.
    if (signed_area(&r) > 0.0) != exterior {
        r.reverse();
    }
    r
}

fn signed_area(r: &[[f64; 2]]) -> f64 {
    r.windows(2).map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1]).sum::<f64>() / 2.0
}

/// Cuts `polys` to `id` (plus buffer), emits the tile's rings and goes on to
/// its four children with the cut pieces.
fn descend(id: TileId, polys: Vec<UPoly>, max_zoom: u8, emit: &mut dyn FnMut(TileId, Vec<Ring>)) {
    let n = f64::from(1u32 << id.z);
    let pad = f64::from(BUFFER) / f64::from(EXTENT) / n;
    let b = [
        f64::from(id.x) / n - pad,
        f64::from(id.y) / n - pad,
        f64::from(id.x + 1) / n + pad,
        f64::from(id.y + 1) / n + pad,
    ];
    let polys: Vec<UPoly> = polys.into_iter().filter_map(|p| clip_poly(p, b)).collect();
    if polys.is_empty() {
        return;
    }
    let rings = quantize(id, &polys);
    if !rings.is_empty() {
        emit(id, rings);
    }
    if id.z < max_zoom {
        for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            let child = TileId {
                z: id.z + 1,
                x: id.x * 2 + dx,
                y: id.y * 2 + dy,
            };
            descend(child, polys.clone(), max_zoom, emit);
        }
    }
}

/// A polygon cut to a box; `None` when nothing of its exterior is left.
fn clip_poly(mut p: UPoly, b: [f64; 4]) -> Option<UPoly> {
    let (lo, hi) = bounds(&p[0]);
    if hi[0] < b[0] || hi[1] < b[1] || lo[0] > b[2] || lo[1] > b[3] {
        return None;
    }
    if lo[0] >= b[0] && lo[1] >= b[1] && hi[0] <= b[2] && hi[1] <= b[3] {
        return Some(p);
    }
    let exterior = clip_ring(&p[0], b);
    if exterior.len() < 4 {
        return None;
    }
    let holes = p.drain(1..).map(|r| clip_ring(&r, b)).filter(|r| r.len() >= 4);
    let mut out = vec![exterior];
    out.extend(holes);
    Some(out)
}

fn bounds(r: &[[f64; 2]]) -> ([f64; 2], [f64; 2]) {
    r.iter().fold(([f64::MAX; 2], [f64::MIN; 2]), |(lo, hi), p| {
        ([lo[0].min(p[0]), lo[1].min(p[1])], [hi[0].max(p[0]), hi[1].max(p[1])])
    })
}

/// Sutherland–Hodgman against the box's four edges; the result is closed.
/// Parts of a concave ring outside the box collapse onto its edge, which
/// a fill draws as nothing.
fn clip_ring(r: &[[f64; 2]], b: [f64; 4]) -> URing {
    let mut cur: URing = r.to_vec();
    // (axis, bound, keep the side >= bound)
    for (axis, bound, keep_above) in [(0, b[0], true), (0, b[2], false), (1, b[1], true), (1, b[3], false)] {
        if cur.is_empty() {
            break;
        }
        let inside = |p: &[f64; 2]| if keep_above { p[axis] >= bound } else { p[axis] <= bound };
        let mut next = Vec::with_capacity(cur.len() + 4);
        let Some(&last) = cur.last() else { break };
        let mut prev = last;
        for &p in &cur {
            match (inside(&prev), inside(&p)) {
                (true, true) => next.push(p),
                (true, false) => next.push(cross(prev, p, axis, bound)),
                (false, true) => {
                    next.push(cross(prev, p, axis, bound));
                    next.push(p);
                }
                (false, false) => {}
            }
            prev = p;
        }
        cur = next;
    }
    if let (Some(&first), Some(&last)) = (cur.first(), cur.last())
        && first != last
    {
        cur.push(first);
    }
    cur
}

fn cross(a: [f64; 2], b: [f64; 2], axis: usize, bound: f64) -> [f64; 2] {
    let t = (bound - a[axis]) / (b[axis] - a[axis]);
    let other = 1 - axis;
    let mut p = [0.0; 2];
    p[axis] = bound;
    p[other] = a[other] + t * (b[other] - a[other]);
    p
}

/// Rings in tile units: simplified, rounded, repeats dropped; rings that
/// shrink to nothing, and holes whose exterior did, are left out.
fn quantize(id: TileId, polys: &[UPoly]) -> Vec<Ring> {
    let n = f64::from(1u32 << id.z);
    let scale = n * f64::from(EXTENT);
    let (ox, oy) = (f64::from(id.x) * f64::from(EXTENT), f64::from(id.y) * f64::from(EXTENT));
    let mut out = Vec::new();
    for poly in polys {
        for (k, r) in poly.iter().enumerate() {
            let ls: LineString<f64> = r
                .iter()
                .map(|p| Coord {
                    x: p[0] * scale - ox,
                    y: p[1] * scale - oy,
                })
                .collect();
            let simple = ls.simplify(SIMPLIFY);
            let mut q: Ring = Vec::with_capacity(simple.0.len());
            for c in &simple.0 {
                let p = [c.x.round() as i32, c.y.round() as i32];
                if q.last() != Some(&p) {
                    q.push(p);
                }
            }
            let area: i64 = q
                .windows(2)
                .map(|w| i64::from(w[0][0]) * i64::from(w[1][1]) - i64::from(w[1][0]) * i64::from(w[0][1]))
                .sum();
            let keep = q.len() >= 4 && if k == 0 { area > 0 } else { area < 0 };
            if keep {
                out.push(q);
            } else if k == 0 {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Rect, coord};

    fn square(w: f64, s: f64, e: f64, n: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![
            Rect::new(coord! { x: w, y: s }, coord! { x: e, y: n }).to_polygon(),
        ])
    }

    #[test]
    fn a_square_lands_in_the_tiles_it_covers_clockwise_with_its_days() {
        // 30..40 E, 45..50 N: at zoom 2 the tile x 2 (0..90 E), y 1 (0..66 N).
        let sq = square(30.0, 45.0, 40.0, 50.0);
        let frames = [Frame {
            span: Span { from: 10, to: 20 },
            layers: vec![(ControlStatus::Occupied, &sq)],
        }];
        let tiles = area_pieces(&frames, 3);
        let ids: Vec<TileId> = {
            let mut v: Vec<_> = tiles.keys().copied().filter(|t| t.z == 2).collect();
            v.sort();
            v
        };
        assert_eq!(ids, vec![TileId { z: 2, x: 2, y: 1 }]);
        let p = &tiles[&TileId { z: 2, x: 2, y: 1 }][0];
        assert_eq!(p.span, Span { from: 10, to: 20 });
        assert_eq!(p.rings.len(), 1);
        // 30 E is a third of the tile's 90 degrees: 4096 / 3.
        let xs: Vec<i32> = p.rings[0].iter().map(|q| q[0]).collect();
        assert_eq!(*xs.iter().min().unwrap(), 1365);
        assert_eq!(*xs.iter().max().unwrap(), 1820);
        let area: i64 = p.rings[0]
            .windows(2)
            .map(|w| i64::from(w[0][0] * w[1][1] - w[1][0] * w[0][1]))
            .sum();
        assert!(area > 0, "exterior must be clockwise on screen");
    }

    #[test]
    fn an_unchanged_piece_extends_its_span_and_a_changed_one_starts_a_new_one() {
        let a = square(30.0, 45.0, 40.0, 50.0);
        let b = square(30.0, 45.0, 41.0, 50.0);
        let frames = [
            Frame {
                span: Span { from: 0, to: 5 },
                layers: vec![(ControlStatus::Occupied, &a)],
            },
            Frame {
                span: Span { from: 5, to: 9 },
                layers: vec![(ControlStatus::Occupied, &a)],
            },
            Frame {
                span: Span { from: 9, to: 12 },
                layers: vec![(ControlStatus::Occupied, &b)],
            },
        ];
        let tiles = area_pieces(&frames, 6);
        let spans: Vec<Span> = tiles[&TileId { z: 0, x: 0, y: 0 }].iter().map(|p| p.span).collect();
        assert_eq!(spans, vec![Span { from: 0, to: 9 }, Span { from: 9, to: 12 }]);
        // A zoom-6 tile (5.6 degrees wide) holding only the square's west
        // edge (30 E) does not see the east edge move: one piece for all
        // twelve days.
        let [ux, uy] = unit(31.0, 47.5);
        let west = TileId {
            z: 6,
            x: (ux * 64.0) as u32,
            y: (uy * 64.0) as u32,
        };
        let spans: Vec<Span> = tiles[&west].iter().map(|p| p.span).collect();
        assert_eq!(spans, vec![Span { from: 0, to: 12 }]);
    }

    #[test]
    fn a_ring_larger_than_the_tile_is_cut_to_the_tile_and_its_buffer() {
        let big = square(0.0, 0.0, 90.0, 60.0);
        let frames = [Frame {
            span: Span { from: 0, to: 1 },
            layers: vec![(ControlStatus::Occupied, &big)],
        }];
        let tiles = area_pieces(&frames, 5);
        // Inside at zoom 5: tile (17, 13) is 11.25..22.5 E, 21.9..32.0 N.
        let ring = &tiles[&TileId { z: 5, x: 17, y: 13 }][0].rings[0];
        let (lo, hi) = ring
            .iter()
            .fold((i32::MAX, i32::MIN), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
        assert_eq!((lo, hi), (-BUFFER, EXTENT + BUFFER));
    }

    #[test]
    fn holes_are_kept_anticlockwise_after_their_exterior() {
        let outer = Rect::new(coord! { x: 30.0, y: 45.0 }, coord! { x: 40.0, y: 50.0 }).to_polygon();
        let hole = Rect::new(coord! { x: 33.0, y: 46.0 }, coord! { x: 35.0, y: 48.0 }).to_polygon();
        let mp = MultiPolygon::new(vec![geo::Polygon::new(
            outer.exterior().clone(),
            vec![hole.exterior().clone()],
        )]);
        let frames = [Frame {
            span: Span { from: 0, to: 1 },
            layers: vec![(ControlStatus::Occupied, &mp)],
        }];
        let tiles = area_pieces(&frames, 2);
        let rings = &tiles[&TileId { z: 2, x: 2, y: 1 }][0].rings;
        assert_eq!(rings.len(), 2);
        let area = |r: &Ring| -> i64 {
            r.windows(2)
                .map(|w| i64::from(w[0][0] * w[1][1] - w[1][0] * w[0][1]))
                .sum()
        };
        assert!(area(&rings[0]) > 0 && area(&rings[1]) < 0);
    }

    #[test]
    fn points_appear_from_their_zoom_at_their_place_in_the_tile() {
        let pts = [TilePoint {
            lon: 45.0,
            lat: 0.0,
            min_zoom: 1,
        }];
        let tiles = point_pieces(&pts, 2);
        assert!(!tiles.contains_key(&TileId { z: 0, x: 0, y: 0 }));
        // 45 E on the equator: zoom 1 tile (1, 1), a quarter of the way in.
        assert_eq!(
            tiles[&TileId { z: 1, x: 1, y: 1 }],
            vec![PointPiece {
                index: 0,
                at: [1024, 0]
            }]
        );
        assert_eq!(
            tiles[&TileId { z: 2, x: 2, y: 2 }],
            vec![PointPiece {
                index: 0,
                at: [2048, 0]
            }]
        );
    }

    /// The pieces of a concave polygon with a hole, each cut back to its
    /// own tile's square (the buffer overlaps the neighbours), add up to the
    /// polygon's own Mercator area: nothing lost, nothing counted twice,
    /// holes subtracted, only the rounding to the grid off. At zoom 9 the
    /// whole is 234,078,700 units² and the bound 53,136: one tile's piece
    /// lost or counted twice (a tile is 16,777,216 units²; the hole alone is
    /// 9 million) would be far outside it.
    #[test]
    fn the_pieces_add_up_to_the_polygon() {
        use geo::{LineString, Polygon};
        let ring = |pts: &[(f64, f64)]| LineString::from(pts.to_vec());
        // An L from 36 to 39 E, 47 to 50 N, with a hole in its foot.
        let l = Polygon::new(
            ring(&[
                (36.0, 47.0),
                (39.0, 47.0),
                (39.0, 48.0),
                (37.0, 48.0),
                (37.0, 50.0),
                (36.0, 50.0),
                (36.0, 47.0),
            ]),
            vec![ring(&[
                (37.5, 47.3),
                (38.5, 47.3),
                (38.5, 47.7),
                (37.5, 47.7),
                (37.5, 47.3),
            ])],
        );
        let mp = MultiPolygon::new(vec![l]);
        // In the unit square: exterior positive, hole negative.
        let projected = project(&mp);
        let whole: f64 = projected[0].iter().map(|r| signed_area(r)).sum();
        let perimeter: f64 = projected[0]
            .iter()
            .flat_map(|r| r.windows(2))
            .map(|w| (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]))
            .sum();
        let frames = [Frame {
            span: Span { from: 0, to: 1 },
            layers: vec![(ControlStatus::Occupied, &mp)],
        }];
        let tiles = area_pieces(&frames, 9);
        for z in [5u8, 7, 9] {
            let units = f64::from(1u32 << z) * f64::from(EXTENT);
            let mut sum = 0.0;
            for (_, pieces) in tiles.iter().filter(|(id, _)| id.z == z) {
                for r in &pieces[0].rings {
                    let f: Vec<[f64; 2]> = r.iter().map(|p| [f64::from(p[0]), f64::from(p[1])]).collect();
                    sum += signed_area(&clip_ring(&f, [0.0, 0.0, f64::from(EXTENT), f64::from(EXTENT)]));
                }
            }
            let truth = whole * units * units;
            // Straight edges: rounding moves each by half a unit at most.
            let bound = 0.5 * perimeter * units;
            assert!(
                (sum - truth).abs() <= bound,
                "zoom {z}: {sum:.0} units² from the tiles, {truth:.0} whole (± {bound:.0})"
            );
        }
    }

    #[test]
    fn tile_ids_outside_the_grid_are_not_valid() {
        assert!(TileId { z: 3, x: 7, y: 7 }.is_valid());
        assert!(!TileId { z: 3, x: 8, y: 0 }.is_valid());
        assert!(!TileId { z: 0, x: 0, y: 1 }.is_valid());
    }
}
