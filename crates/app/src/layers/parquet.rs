//! GeoParquet 1.1 (geoparquet.org), written with the `parquet` crate's
//! column writer (no Arrow: one row group of at most 50,000 rows needs
//! none): `feature_id`, the geometry as WKB in `geometry`, and each
//! property as a typed optional column. The file's `geo` metadata names
//! the geometry column, its types and bbox; its CRS is left out, which
//! GeoParquet defines as OGC:CRS84 (EPSG:4326, longitude first: what the
//! features are). The provenance is the `frontline:provenance` key.

use anyhow::{Context, Result};
use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::Arc;

fn column(name: &str, physical: Physical, text: bool, required: bool) -> Result<Arc<Type>> {
    let t = Type::primitive_type_builder(name, physical)
        .with_repetition(if required {
            Repetition::REQUIRED
        } else {
            Repetition::OPTIONAL
        })
        .with_logical_type(text.then_some(LogicalType::String))
        .build()?;
    Ok(Arc::new(t))
}

/// Writes `features` (with their `shapes`) as a new GeoParquet file.
pub(crate) fn write(out: &Path, features: &[Value], shapes: &[geo::Geometry<f64>], provenance: &Value) -> Result<()> {
    let cols = super::columns(features);
    let mut fields = vec![
        column("feature_id", Physical::BYTE_ARRAY, true, true)?,
        column("geometry", Physical::BYTE_ARRAY, false, true)?,
    ];
    for (name, sql) in &cols {
        fields.push(match *sql {
            "INTEGER" => column(name, Physical::INT64, false, false)?,
            "REAL" => column(name, Physical::DOUBLE, false, false)?,
            _ => column(name, Physical::BYTE_ARRAY, true, false)?,
        });
    }
    let schema = Arc::new(Type::group_type_builder("schema").with_fields(fields).build()?);
    let geo = json!({
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": {
            "encoding": "WKB",
            "geometry_types": super::shared_kind(shapes).map_or(vec![], |k| vec![k]),
            "bbox": super::extent(shapes),
        }},
    });
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![
            KeyValue::new("geo".into(), geo.to_string()),
            KeyValue::new("frontline:provenance".into(), provenance.to_string()),
        ]))
        .build();
    let file = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(props))?;
    let mut group = writer.next_row_group()?;
    let mut index = 0;
    while let Some(mut col) = group.next_column()? {
        match index {
            0 => {
                let ids: Vec<ByteArray> = features
                    .iter()
                    .map(|f| super::feature_id(f).into_bytes().into())
                    .collect();
                col.typed::<ByteArrayType>().write_batch(&ids, None, None)?;
            }
            1 => {
                let mut wkbs = Vec::with_capacity(shapes.len());
                for g in shapes {
                    let mut b = Vec::new();
                    wkb::writer::write_geometry(&mut b, g, &wkb::writer::WriteOptions::default()).context("WKB")?;
                    wkbs.push(ByteArray::from(b));
                }
                col.typed::<ByteArrayType>().write_batch(&wkbs, None, None)?;
            }
            i => {
                let (name, sql) = &cols[i - 2];
                let values = features.iter().map(|f| &f["properties"][name]);
                // Definition level 1 is a value, 0 a null (absent).
                let defs: Vec<i16> = values.clone().map(|v| i16::from(!v.is_null())).collect();
                let present = values.filter(|v| !v.is_null());
                match *sql {
                    "INTEGER" => {
                        let v: Vec<i64> = present.map(|v| v.as_i64().unwrap_or_default()).collect();
                        col.typed::<Int64Type>().write_batch(&v, Some(&defs), None)?;
                    }
                    "REAL" => {
                        let v: Vec<f64> = present.map(|v| v.as_f64().unwrap_or_default()).collect();
                        col.typed::<DoubleType>().write_batch(&v, Some(&defs), None)?;
                    }
                    _ => {
                        let v: Vec<ByteArray> = present
                            .map(|v| {
                                v.as_str()
                                    .map_or_else(|| v.to_string(), str::to_string)
                                    .into_bytes()
                                    .into()
                            })
                            .collect();
                        col.typed::<ByteArrayType>().write_batch(&v, Some(&defs), None)?;
                    }
                }
            }
        }
        col.close()?;
        index += 1;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}
