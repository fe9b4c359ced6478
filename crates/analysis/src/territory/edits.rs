//! Where two maps of a layer differ: boxes that hold every point whose
//! containment can differ between them, found by comparing the rings'
//! vertices rather than by overlaying the polygons. A daily map redraws a
//! few stretches of the front; a place outside these boxes has the status
//! it had the day before, so it need not be tested again (#24, #27).
//!
//! Why it is sound. Polygons are paired (by their exterior's first vertex,
//! then in order), and so are the rings of a pair. Of two paired rings,
//! the directed edges that are not in both form closed chains, and a point
//! outside the box of each connected piece of them winds around both rings
//! alike (`ring_boxes`): it is inside or outside each ring as it was. So it
//! is inside or outside each polygon (its exterior, less its holes) and
//! each layer as it was. A polygon or ring with no partner gives its whole
//! box.

use foldhash::fast::RandomState;
use frontline_model::ControlStatus;
use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use std::collections::HashMap;

/// Boxes holding every point whose status can differ between the layers
/// `old` and `new` (a status absent from one side is an empty layer).
/// Empty when the two maps are the same.
pub fn changed_boxes(
    old: &[(ControlStatus, &MultiPolygon<f64>)],
    new: &[(ControlStatus, &MultiPolygon<f64>)],
) -> Vec<Rect<f64>> {
    let empty = MultiPolygon::<f64>(vec![]);
    let mut out = Vec::new();
    for status in ControlStatus::ALL {
        let a = old.iter().find(|(s, _)| *s == status).map_or(&empty, |(_, m)| *m);
        let b = new.iter().find(|(s, _)| *s == status).map_or(&empty, |(_, m)| *m);
        layer_boxes(a, b, &mut out);
    }
    out
}

/// Whether `c` lies in one of `boxes` (their edges included).
pub fn in_boxes(boxes: &[Rect<f64>], c: Coord<f64>) -> bool {
    boxes
        .iter()
        .any(|r| r.min().x <= c.x && c.x <= r.max().x && r.min().y <= c.y && c.y <= r.max().y)
}

/// Points sorted by longitude, to find those in a few boxes without testing
/// every point against every box (a day's edit of the front is hundreds of
/// small boxes; the gazetteer, thousands of places).
pub struct PointsByLon {
    /// Indexes into the points given, by longitude; non-finite points,
    /// which no box holds, are left out.
    order: Vec<usize>,
    /// Their longitudes, in that order.
    lons: Vec<f64>,
    lats: Vec<f64>,
}

impl PointsByLon {
    /// Sorts lon/lat points.
    pub fn new(points: &[(f64, f64)]) -> Self {
        let mut order: Vec<usize> = (0..points.len())
            .filter(|&i| points[i].0.is_finite() && points[i].1.is_finite())
            .collect();
        order.sort_by(|&a, &b| points[a].0.total_cmp(&points[b].0));
        let lons = order.iter().map(|&i| points[i].0).collect();
        let lats = order.iter().map(|&i| points[i].1).collect();
        PointsByLon { order, lons, lats }
    }

    /// The indexes of the points lying in one of `boxes` (their edges
    /// included, as [`in_boxes`]), each once, in increasing order.
    pub fn in_boxes(&self, boxes: &[Rect<f64>]) -> Vec<usize> {
        let mut hit = Vec::new();
        for r in boxes {
            let from = self.lons.partition_point(|x| *x < r.min().x);
            let to = self.lons.partition_point(|x| *x <= r.max().x);
            for k in from..to.max(from) {
                if r.min().y <= self.lats[k] && self.lats[k] <= r.max().y {
                    hit.push(self.order[k]);
                }
            }
        }
        hit.sort_unstable();
        hit.dedup();
        hit
    }
}

fn layer_boxes(old: &MultiPolygon<f64>, new: &MultiPolygon<f64>, out: &mut Vec<Rect<f64>>) {
    let first = |p: &Polygon<f64>| p.exterior().0.first().map(|c| (c.x.to_bits(), c.y.to_bits()));
    for pair in pairs(&old.0, &new.0, first) {
        match pair {
            (Some(a), Some(b)) => {
                ring_boxes(a.exterior(), b.exterior(), out);
                let start = |r: &LineString<f64>| r.0.first().map(|c| (c.x.to_bits(), c.y.to_bits()));
                for holes in pairs(a.interiors(), b.interiors(), start) {
                    match holes {
                        (Some(x), Some(y)) => ring_boxes(x, y, out),
                        (x, y) => out.extend(x.or(y).and_then(BoundingRect::bounding_rect)),
                    }
                }
            }
            (a, b) => out.extend(a.or(b).and_then(BoundingRect::bounding_rect)),
        }
    }
}

/// Pairs the items of two lists: equal keys first (in order), then what
/// is left of each in order; a surplus item has no partner.
fn pairs<'a, T, K: Ord + Copy>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> Option<K>,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let mut by_key: Vec<(Option<K>, usize)> = new.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    by_key.sort();
    let mut taken = vec![false; new.len()];
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    let mut left_old = Vec::new();
    for a in old {
        let k = key(a);
        let at = by_key.partition_point(|(kk, _)| *kk < k);
        let found = by_key[at..]
            .iter()
            .take_while(|(kk, _)| *kk == k && k.is_some())
            .map(|(_, i)| *i)
            .find(|i| !taken[*i]);
        match found {
            Some(i) => {
                taken[i] = true;
                out.push((Some(a), Some(&new[i])));
            }
            None => left_old.push(a),
        }
    }
    let mut left_new = new.iter().zip(&taken).filter(|(_, t)| !**t).map(|(b, _)| b);
    for a in left_old {
        out.push((Some(a), left_new.next()));
    }
    out.extend(left_new.map(|b| (None, Some(b))));
    out
}

/// Boxes of where two paired rings differ, when they do: the pieces of the
/// edges not in both (`edge_pieces`), or the sweeps of the moved edges
/// (`swept_boxes`) when those cover less ground. Both are sound; the second
/// keeps small the boxes of a ring whose every vertex moved a little
/// (DeepState redraws whole rings by about 10⁻⁷° on about a quarter of its
/// maps), where the first gives the whole ring's box.
fn ring_boxes(a: &LineString<f64>, b: &LineString<f64>, out: &mut Vec<Rect<f64>>) {
    if a.0 == b.0 {
        return;
    }
    let pieces = edge_pieces(a, b);
    let swept = swept_boxes(a, b);
    let area = |r: &[Rect<f64>]| r.iter().map(|b| b.width() * b.height()).sum::<f64>();
    out.extend(if area(&swept) < area(&pieces) { swept } else { pieces });
}

/// Moved edges boxed together, this many steps at a time (a box per
/// stretch of the front rather than one per edge: 64 edges of a DeepState
/// ring span a few kilometres).
const SWEPT_RUN: usize = 64;

/// The two rings walked together from their first vertices to their last,
/// a step moving on in one ring or both (whichever brings the two current
/// vertices nearest). Moving each step's vertex of `a` straight to its
/// partner in `b` turns one closed ring into the other, and a point whose
/// winding number differs between them is crossed on the way: it lies in
/// the hull of some step's two positions. A step whose ends are the same in
/// both sweeps nothing. The moved steps are boxed [`SWEPT_RUN`] consecutive
/// ones at a time. Sound for any such walk; the nearest-first walk keeps
/// the boxes small when the rings start at the same place.
fn swept_boxes(a: &LineString<f64>, b: &LineString<f64>) -> Vec<Rect<f64>> {
    // A ring left open closes on its first vertex.
    let closed = |r: &LineString<f64>| {
        let mut v = r.0.clone();
        if let (Some(f), Some(l)) = (v.first().copied(), v.last().copied())
            && f != l
        {
            v.push(f);
        }
        v
    };
    let (a, b) = (closed(a), closed(b));
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let d2 = |p: Coord<f64>, q: Coord<f64>| (p.x - q.x).powi(2) + (p.y - q.y).powi(2);
    let mut out = Vec::new();
    let mut run: Option<(Rect<f64>, usize)> = None;
    let (mut i, mut j) = (0, 0);
    while i + 1 < n || j + 1 < m {
        let steps = [(i + 1, j + 1), (i + 1, j), (i, j + 1)];
        let Some((ni, nj)) = steps
            .into_iter()
            .filter(|&(x, y)| x < n && y < m)
            .min_by(|&(x, y), &(p, q)| d2(a[x], b[y]).total_cmp(&d2(a[p], b[q])))
        else {
            break;
        };
        if a[i] == b[j] && a[ni] == b[nj] {
            out.extend(run.take().map(|(r, _)| r));
        } else {
            let (mut r, k) = run.take().unwrap_or((Rect::new(a[i], a[i]), 0));
            for c in [a[i], a[ni], b[j], b[nj]] {
                r = union(r, Rect::new(c, c));
            }
            if k + 1 == SWEPT_RUN {
                out.push(r);
            } else {
                run = Some((r, k + 1));
            }
        }
        (i, j) = (ni, nj);
    }
    out.extend(run.map(|(r, _)| r));
    out
}

/// The smallest box holding both.
fn union(p: Rect<f64>, q: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: p.min().x.min(q.min().x),
            y: p.min().y.min(q.min().y),
        },
        Coord {
            x: p.max().x.max(q.max().x),
            y: p.max().y.max(q.max().y),
        },
    )
}

/// Each ring's directed edges count +1 in `a` and -1 in `b`; the edges
/// whose counts do not cancel form closed chains (every vertex has as many
/// ways in as out in each ring, so in their difference too). A closed chain
/// winds around no point outside its box, so a point outside the box of
/// every connected piece of those edges has the same winding number about
/// `a` as about `b`: the same containment. A piece is as small as the
/// redrawn stretch, so two edits far apart on one ring give two small
/// boxes, not one that spans the ring between them. A ring rotated to start
/// elsewhere has the same edges, and gives none.
fn edge_pieces(a: &LineString<f64>, b: &LineString<f64>) -> Vec<Rect<f64>> {
    pieces_of(a, b, true)
}

/// [`edge_pieces`]; with `trim` false every edge is counted (tests check
/// that leaving out the common stretches changes no piece).
fn pieces_of(a: &LineString<f64>, b: &LineString<f64>, trim: bool) -> Vec<Rect<f64>> {
    let mut out = Vec::new();
    type Key = (u64, u64);
    let key = |c: &Coord<f64>| (c.x.to_bits(), c.y.to_bits());
    // The edges of a common first and last stretch of vertices are in both
    // rings and cancel: only those of the middle (and the ring's closing
    // edge) are counted, which changes no count and spares hashing a whole
    // ring a day for a few redrawn kilometres.
    let (n, m) = (a.0.len(), b.0.len());
    fn common<'c>(pairs: impl Iterator<Item = (&'c Coord<f64>, &'c Coord<f64>)>) -> usize {
        pairs.take_while(|(p, q)| p == q).count()
    }
    let prefix = if trim { common(a.0.iter().zip(&b.0)) } else { 0 };
    let suffix = if trim {
        common(a.0.iter().rev().zip(b.0.iter().rev()))
    } else {
        0
    };
    let suffix = suffix.min(n.min(m) - prefix);
    // Edges i..i+1 for i in [lo, hi): none wholly in either stretch.
    fn middle(pts: &[Coord<f64>], prefix: usize, suffix: usize) -> &[Coord<f64>] {
        let len = pts.len();
        let (lo, hi) = (
            prefix.saturating_sub(1),
            (len.saturating_sub(suffix)).min(len.saturating_sub(1)),
        );
        if lo >= hi { &pts[..0] } else { &pts[lo..=hi] }
    }
    let mut net: HashMap<(Key, Key), i32, RandomState> = HashMap::default();
    for (ring, sign) in [(a, 1), (b, -1)] {
        let pts = &ring.0;
        let closing = (pts.first() != pts.last()).then(|| [pts[pts.len() - 1], pts[0]]);
        for w in middle(pts, prefix, suffix)
            .windows(2)
            .chain(closing.as_ref().map(|c| c.as_slice()))
        {
            *net.entry((key(&w[0]), key(&w[1]))).or_default() += sign;
        }
    }
    // Union-find over the vertices of the edges left, a box per piece.
    let mut id: HashMap<Key, usize, RandomState> = HashMap::default();
    let mut parent: Vec<usize> = Vec::new();
    let mut boxes: Vec<Rect<f64>> = Vec::new();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut vertex = |k: Key, parent: &mut Vec<usize>, boxes: &mut Vec<Rect<f64>>| {
        *id.entry(k).or_insert_with(|| {
            let c = Coord {
                x: f64::from_bits(k.0),
                y: f64::from_bits(k.1),
            };
            parent.push(parent.len());
            boxes.push(Rect::new(c, c));
            parent.len() - 1
        })
    };
    for ((from, to), n) in &net {
        if *n == 0 {
            continue;
        }
        let (i, j) = (
            vertex(*from, &mut parent, &mut boxes),
            vertex(*to, &mut parent, &mut boxes),
        );
        let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
        if ri != rj {
            parent[rj] = ri;
            boxes[ri] = union(boxes[ri], boxes[rj]);
        }
    }
    for (i, b) in boxes.iter().enumerate() {
        if root(&mut parent, i) == i {
            out.push(*b);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, coord, polygon};
    use proptest::prelude::*;

    fn square(x: f64, y: f64, side: f64) -> Polygon<f64> {
        polygon![(x: x, y: y), (x: x + side, y: y), (x: x + side, y: y + side), (x: x, y: y + side), (x: x, y: y)]
    }

    #[test]
    fn the_same_map_has_no_boxes_and_a_local_edit_a_small_one() {
        let a = MultiPolygon(vec![square(30.0, 45.0, 10.0)]);
        let old = [(ControlStatus::Occupied, &a)];
        assert!(changed_boxes(&old, &old).is_empty());
        // A bulge on the south edge, between x 34 and 35.
        let bulged = polygon![
            (x: 30.0, y: 45.0), (x: 34.0, y: 45.0), (x: 34.5, y: 44.0), (x: 35.0, y: 45.0),
            (x: 40.0, y: 45.0), (x: 40.0, y: 55.0), (x: 30.0, y: 55.0), (x: 30.0, y: 45.0)
        ];
        let b = MultiPolygon(vec![bulged]);
        let boxes = changed_boxes(&old, &[(ControlStatus::Occupied, &b)]);
        assert_eq!(boxes.len(), 1);
        let r = boxes[0];
        assert_eq!((r.min().x, r.min().y, r.max().x, r.max().y), (30.0, 44.0, 40.0, 45.0));
        assert!(in_boxes(&boxes, coord! { x: 34.5, y: 44.5 }));
        assert!(!in_boxes(&boxes, coord! { x: 35.0, y: 50.0 }));
    }

    /// Two stretches redrawn far apart on one ring: two small boxes, and
    /// the ground between them is not in either.
    #[test]
    fn two_edits_far_apart_give_two_boxes() {
        let a = MultiPolygon(vec![Polygon::new(ring(10, &[]), vec![])]);
        // Vertex 3 on the south edge, 23 on the north edge.
        let b = MultiPolygon(vec![Polygon::new(
            ring(10, &[(3, 0.0, -0.05), (23, 0.0, 0.05)]),
            vec![],
        )]);
        let boxes = changed_boxes(&[(ControlStatus::Occupied, &a)], &[(ControlStatus::Occupied, &b)]);
        let mut got: Vec<(f64, f64, f64, f64)> = boxes
            .iter()
            .map(|r| (r.min().x, r.min().y, r.max().x, r.max().y))
            .collect();
        got.sort_by(|p, q| p.partial_cmp(q).unwrap());
        let near = |p: (f64, f64, f64, f64), q: (f64, f64, f64, f64)| {
            (p.0 - q.0).abs() < 1e-9 && (p.1 - q.1).abs() < 1e-9 && (p.2 - q.2).abs() < 1e-9 && (p.3 - q.3).abs() < 1e-9
        };
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(near(got[0], (0.2, -0.05, 0.4, 0.0)), "{got:?}");
        assert!(near(got[1], (0.6, 1.0, 0.8, 1.05)), "{got:?}");
        assert!(!in_boxes(&boxes, coord! { x: 0.5, y: 0.5 }));
        // The same ring started at another vertex: the same edges, no box.
        let mut turned = ring(10, &[]).0;
        turned.pop();
        turned.rotate_left(7);
        turned.push(turned[0]);
        let c = MultiPolygon(vec![Polygon::new(LineString(turned), vec![])]);
        assert!(changed_boxes(&[(ControlStatus::Occupied, &a)], &[(ControlStatus::Occupied, &c)]).is_empty());
    }

    /// Every vertex of a ring moved by 10⁻⁷°: small boxes along the ring,
    /// and the inside far from it is in none.
    #[test]
    fn a_ring_redrawn_whole_by_a_hair_gives_boxes_along_it() {
        let a = MultiPolygon(vec![Polygon::new(ring(100, &[]), vec![])]);
        let hair: Vec<(usize, f64, f64)> = (0..400).map(|i| (i, 1e-7, -1e-7)).collect();
        let b = MultiPolygon(vec![Polygon::new(ring(100, &hair), vec![])]);
        let boxes = changed_boxes(&[(ControlStatus::Occupied, &a)], &[(ControlStatus::Occupied, &b)]);
        // 400 edges, 64 a box.
        assert_eq!(boxes.len(), 7, "{boxes:?}");
        assert!(!in_boxes(&boxes, coord! { x: 0.5, y: 0.5 }));
        let area: f64 = boxes.iter().map(|r| r.width() * r.height()).sum();
        assert!(area < 0.25, "{area}");
    }

    /// Moved by a hair and one vertex more (the counts differ): still
    /// boxes along the ring, none over its middle.
    #[test]
    fn a_ring_redrawn_whole_with_a_vertex_more_gives_boxes_along_it() {
        let a = MultiPolygon(vec![Polygon::new(ring(100, &[]), vec![])]);
        let hair: Vec<(usize, f64, f64)> = (0..400).map(|i| (i, 1e-7, -1e-7)).collect();
        let mut pts = ring(100, &hair).0;
        pts.insert(50, coord! { x: 0.505, y: -0.01 });
        let b = MultiPolygon(vec![Polygon::new(LineString(pts), vec![])]);
        let boxes = changed_boxes(&[(ControlStatus::Occupied, &a)], &[(ControlStatus::Occupied, &b)]);
        assert!(!in_boxes(&boxes, coord! { x: 0.5, y: 0.5 }), "{boxes:?}");
        assert!(in_boxes(&boxes, coord! { x: 0.505, y: -0.005 }));
    }

    #[test]
    fn a_new_polygon_or_status_gives_its_box() {
        let a = MultiPolygon(vec![square(30.0, 45.0, 1.0)]);
        let b = MultiPolygon(vec![square(30.0, 45.0, 1.0), square(36.0, 47.0, 1.0)]);
        let boxes = changed_boxes(&[(ControlStatus::Occupied, &a)], &[(ControlStatus::Occupied, &b)]);
        assert!(in_boxes(&boxes, coord! { x: 36.5, y: 47.5 }));
        assert!(!in_boxes(&boxes, coord! { x: 30.5, y: 45.5 }));
        // The same polygon moved to another layer: both layers change there.
        let moved = changed_boxes(&[(ControlStatus::Occupied, &a)], &[(ControlStatus::Contested, &a)]);
        assert!(in_boxes(&moved, coord! { x: 30.5, y: 45.5 }));
    }

    /// A square of vertices along its edges, some of them moved.
    fn ring(n: usize, moved: &[(usize, f64, f64)]) -> LineString<f64> {
        let mut pts: Vec<Coord<f64>> = (0..4 * n)
            .map(|i| {
                let t = (i % n) as f64 / n as f64;
                match i / n {
                    0 => coord! { x: t, y: 0.0 },
                    1 => coord! { x: 1.0, y: t },
                    2 => coord! { x: 1.0 - t, y: 1.0 },
                    _ => coord! { x: 0.0, y: 1.0 - t },
                }
            })
            .collect();
        for &(i, dx, dy) in moved {
            let i = i % pts.len();
            pts[i].x += dx;
            pts[i].y += dy;
        }
        pts.push(pts[0]);
        LineString(pts)
    }

    proptest! {
        // Many cases: a changed strip is a small part of the square.
        #![proptest_config(ProptestConfig::with_cases(4096))]
        /// The sorted points find in boxes what testing each point finds.
        #[test]
        fn points_by_longitude_are_found_as_each_one_tested(
            points in proptest::collection::vec((-2.0f64..2.0, -2.0f64..2.0), 0..60),
            boxes in proptest::collection::vec((-2.0f64..2.0, -2.0f64..2.0, 0.0f64..1.5, 0.0f64..1.5), 0..6),
        ) {
            // Some points on a box's edge, and some equal longitudes.
            let mut points = points;
            if let (Some(&(x, y, _, h)), true) = (boxes.first(), points.len() > 2) {
                points[0] = (x, y + h / 2.0);
                points[1] = (points[2].0, -points[2].1);
            }
            let rects: Vec<Rect<f64>> =
                boxes.iter().map(|&(x, y, w, h)| Rect::new(coord! { x: x, y: y }, coord! { x: x + w, y: y + h })).collect();
            let each: Vec<usize> =
                (0..points.len()).filter(|&i| in_boxes(&rects, coord! { x: points[i].0, y: points[i].1 })).collect();
            prop_assert_eq!(PointsByLon::new(&points).in_boxes(&rects), each);
        }

        /// Any point outside the boxes is inside the old map's polygon
        /// exactly when it is inside the new one's.
        /// The same with every vertex moved a little (as DeepState
        /// redraws whole rings) and one vertex added or taken away, where
        /// the boxes follow the ring.
        #[test]
        fn a_point_outside_the_boxes_of_a_ring_moved_whole_keeps_its_status(
            shift in proptest::collection::vec((-0.03f64..0.03, -0.03f64..0.03), 100),
            extra in proptest::option::of((0usize..98, -0.1f64..1.1, -0.1f64..1.1)),
            x in -0.1f64..1.1,
            y in -0.1f64..1.1,
        ) {
            let moved: Vec<(usize, f64, f64)> = shift.iter().enumerate().map(|(i, &(dx, dy))| (i, dx, dy)).collect();
            let a = MultiPolygon(vec![Polygon::new(ring(25, &[]), vec![])]);
            // And a vertex more or less somewhere, so the counts differ.
            let mut pts = ring(25, &moved).0;
            match extra {
                Some((at, x, y)) => pts.insert(1 + at, coord! { x: x, y: y }),
                None => { pts.remove(1 + shift.len() % 90); }
            }
            let b = MultiPolygon(vec![Polygon::new(LineString(pts), vec![])]);
            let boxes = changed_boxes(&[(ControlStatus::Occupied, &a)], &[(ControlStatus::Occupied, &b)]);
            let c = coord! { x: x, y: y };
            if !in_boxes(&boxes, c) {
                prop_assert_eq!(a.contains(&c), b.contains(&c));
            }
        }

        /// Counting only the edges between the common first and last
        /// stretches finds the same pieces as counting every edge.
        #[test]
        fn the_common_stretches_change_no_piece(
            moved in proptest::collection::vec((0usize..41, -0.2f64..0.2, -0.2f64..0.2), 0..4),
            cut in proptest::option::of(0usize..41),
            open in any::<bool>(),
        ) {
            let a = ring(10, &[]);
            let mut b = ring(10, &moved).0;
            if let Some(at) = cut {
                b.remove(at.min(b.len() - 1));
            }
            if open {
                b.pop();
            }
            let b = LineString(b);
            let sorted = |mut v: Vec<Rect<f64>>| {
                v.sort_by(|p, q| (p.min().x, p.min().y, p.max().x, p.max().y).partial_cmp(&(q.min().x, q.min().y, q.max().x, q.max().y)).unwrap());
                v
            };
            prop_assert_eq!(sorted(pieces_of(&a, &b, true)), sorted(pieces_of(&a, &b, false)));
            prop_assert_eq!(sorted(pieces_of(&b, &a, true)), sorted(pieces_of(&b, &a, false)));
        }

        #[test]
        fn a_point_outside_the_boxes_keeps_its_status(
            moved in proptest::collection::vec((1usize..40, -0.2f64..0.2, -0.2f64..0.2), 0..4),
            x in -0.3f64..1.3,
            y in -0.3f64..1.3,
        ) {
            let a = MultiPolygon(vec![Polygon::new(ring(10, &[]), vec![])]);
            let b = MultiPolygon(vec![Polygon::new(ring(10, &moved), vec![])]);
            let boxes = changed_boxes(&[(ControlStatus::Occupied, &a)], &[(ControlStatus::Occupied, &b)]);
            let c = coord! { x: x, y: y };
            if !in_boxes(&boxes, c) {
                prop_assert_eq!(a.contains(&c), b.contains(&c));
            }
        }
    }
}
