//! Where two maps of a layer differ: boxes that hold every point whose
//! containment can differ between them, found by comparing the rings'
//! vertices rather than by overlaying the polygons. A daily map redraws a
//! few stretches of the front; a place outside these boxes has the status
//! it had the day before, so it need not be tested again (#24, #27).
//!
//! Why it is sound. Polygons are paired (by their exterior's first vertex,
//! then in order), and so are the rings of a pair. Two paired rings are
//! read as a common prefix, a changed middle and a common suffix of their
//! vertices. The region between the two rings (inside one, not the other)
//! is bounded by the segments that are not common to both: those of the
//! two middles and the two joints on each side. A bounded region lies
//! inside the box of its boundary. A point outside every box is therefore
//! inside or outside each ring as it was. So it is inside or outside each
//! polygon (its exterior, less its holes) and each layer as it was.
//! A polygon or ring with no partner gives its whole box.

use frontline_model::ControlStatus;
use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};

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

/// The box of the segments two rings do not share, when they differ.
fn ring_boxes(a: &LineString<f64>, b: &LineString<f64>, out: &mut Vec<Rect<f64>>) {
    let (a, b) = (&a.0, &b.0);
    if a == b {
        return;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    // The middles with a vertex of each joint: the segments from the last
    // common vertex before the change to the first common one after it.
    let around = |r: &[Coord<f64>]| {
        let from = prefix.saturating_sub(1);
        let to = (r.len() - suffix + 1).min(r.len());
        r[from..to.max(from)].to_vec()
    };
    let mut changed = around(a);
    changed.extend(around(b));
    out.extend(LineString(changed).bounding_rect());
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
        /// Any point outside the boxes is inside the old map's polygon
        /// exactly when it is inside the new one's.
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
