//! A Mapbox Vector Tile reader for the tests, written from the MVT 2.1
//! specification's protobuf description (independent of the encoder the
//! server uses): layers, features, their tags and geometry commands.

use std::collections::BTreeMap;

/// A tag's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string.
    Str(String),
    /// Any integer kind.
    Int(i64),
    /// Float or double.
    Num(f64),
    /// A boolean.
    Bool(bool),
}

/// A feature: its tags and how many points its geometry draws.
#[derive(Debug, Clone)]
pub struct Feature {
    /// Tags by key.
    pub tags: BTreeMap<String, Value>,
    /// Geometry type: 1 point, 2 line, 3 polygon.
    pub kind: u64,
    /// Rings (polygons) or points, each as its absolute tile coordinates.
    pub parts: Vec<Vec<(i64, i64)>>,
}

impl Feature {
    /// A tag as an integer.
    pub fn int(&self, k: &str) -> i64 {
        match &self.tags[k] {
            Value::Int(i) => *i,
            v => panic!("{k} is {v:?}"),
        }
    }
    /// A tag as a string.
    pub fn str(&self, k: &str) -> &str {
        match &self.tags[k] {
            Value::Str(s) => s,
            v => panic!("{k} is {v:?}"),
        }
    }
}

/// Layers by name.
pub fn read(mut b: &[u8]) -> BTreeMap<String, Vec<Feature>> {
    let mut out = BTreeMap::new();
    while !b.is_empty() {
        let (field, data) = next(&mut b);
        if field == 3 {
            let (name, features) = layer(data.bytes());
            out.insert(name, features);
        }
    }
    out
}

enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed(u64),
}

impl<'a> Wire<'a> {
    fn bytes(&self) -> &'a [u8] {
        match self {
            Wire::Bytes(b) => b,
            _ => panic!("expected bytes"),
        }
    }
    fn varint(&self) -> u64 {
        match self {
            Wire::Varint(v) => *v,
            _ => panic!("expected a varint"),
        }
    }
}

fn varint(b: &mut &[u8]) -> u64 {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let byte = b[0];
        *b = &b[1..];
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

fn next<'a>(b: &mut &'a [u8]) -> (u64, Wire<'a>) {
    let key = varint(b);
    let wire = match key & 7 {
        0 => Wire::Varint(varint(b)),
        1 => {
            let v = u64::from_le_bytes(b[..8].try_into().unwrap());
            *b = &b[8..];
            Wire::Fixed(v)
        }
        2 => {
            let n = varint(b) as usize;
            let (d, rest) = b.split_at(n);
            *b = rest;
            Wire::Bytes(d)
        }
        5 => {
            let v = u64::from(u32::from_le_bytes(b[..4].try_into().unwrap()));
            *b = &b[4..];
            Wire::Fixed(v)
        }
        w => panic!("wire type {w}"),
    };
    (key >> 3, wire)
}

fn packed(mut b: &[u8]) -> Vec<u64> {
    let mut v = Vec::new();
    while !b.is_empty() {
        v.push(varint(&mut b));
    }
    v
}

fn zigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn layer(mut b: &[u8]) -> (String, Vec<Feature>) {
    let (mut name, mut keys, mut values, mut raw) = (String::new(), vec![], vec![], vec![]);
    while !b.is_empty() {
        match next(&mut b) {
            (1, w) => name = String::from_utf8(w.bytes().to_vec()).unwrap(),
            (2, w) => raw.push(w.bytes()),
            (3, w) => keys.push(String::from_utf8(w.bytes().to_vec()).unwrap()),
            (4, w) => values.push(value(w.bytes())),
            _ => {}
        }
    }
    let features = raw
        .into_iter()
        .map(|mut f| {
            let (mut tags, mut kind, mut geometry) = (vec![], 0, vec![]);
            while !f.is_empty() {
                match next(&mut f) {
                    (2, w) => tags = packed(w.bytes()),
                    (3, w) => kind = w.varint(),
                    (4, w) => geometry = packed(w.bytes()),
                    _ => {}
                }
            }
            Feature {
                tags: tags
                    .chunks(2)
                    .map(|kv| (keys[kv[0] as usize].clone(), values[kv[1] as usize].clone()))
                    .collect(),
                kind,
                parts: decode_geometry(&geometry),
            }
        })
        .collect();
    (name, features)
}

fn value(mut b: &[u8]) -> Value {
    let (field, w) = next(&mut b);
    match (field, w) {
        (1, w) => Value::Str(String::from_utf8(w.bytes().to_vec()).unwrap()),
        (2, Wire::Fixed(v)) => Value::Num(f64::from(f32::from_bits(v as u32))),
        (3, Wire::Fixed(v)) => Value::Num(f64::from_bits(v)),
        (4, w) | (5, w) => Value::Int(w.varint() as i64),
        (6, w) => Value::Int(zigzag(w.varint())),
        (7, w) => Value::Bool(w.varint() != 0),
        (f, _) => panic!("value field {f}"),
    }
}

/// MoveTo (1), LineTo (2), ClosePath (7) with zigzag deltas.
fn decode_geometry(g: &[u64]) -> Vec<Vec<(i64, i64)>> {
    let (mut parts, mut cur, mut at, mut i) = (vec![], vec![], (0i64, 0i64), 0);
    while i < g.len() {
        let (cmd, count) = (g[i] & 7, g[i] >> 3);
        i += 1;
        match cmd {
            1 | 2 => {
                for _ in 0..count {
                    if cmd == 1 && !cur.is_empty() {
                        parts.push(std::mem::take(&mut cur));
                    }
                    at = (at.0 + zigzag(g[i]), at.1 + zigzag(g[i + 1]));
                    i += 2;
                    cur.push(at);
                }
            }
            7 => parts.push(std::mem::take(&mut cur)),
            c => panic!("command {c}"),
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}
