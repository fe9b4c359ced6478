//! WarSpotting's per-item list (`losses.csv`): event date, nearest place,
//! coordinates, unit and the Oryx proof URL. It has no publication date.

use super::{LossParse, columns, reject};
use crate::IngestError;
use chrono::{DateTime, NaiveDate, Utc};
use frontline_model::{EvidenceDates, EvidenceItem, Location, LossStatus};
use std::path::Path;

/// Parses WarSpotting `losses.csv`.
pub fn parse_warspotting(file: &Path, bytes: &[u8], recorded: DateTime<Utc>) -> Result<LossParse, IngestError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader.headers().map_err(|e| IngestError::csv(file, &e))?.clone();
    let [id, kind, model, status, lost_by, date, geo, url] = columns(
        file,
        &headers,
        [
            "id",
            "type",
            "model",
            "status",
            "lost_by",
            "date",
            "geolocation",
            "oryx_url",
        ],
    )?;
    let mut out = LossParse::default();
    let mut seen = super::SeenIds::default();
    for row in reader.records() {
        let row = row.map_err(|e| IngestError::csv(file, &e))?;
        let line = row.position().map_or(0, |p| p.line());
        let get = |i: usize| row.get(i).unwrap_or("").trim();
        let key = get(id);
        if key.is_empty() {
            out.rejects.push(reject(file, line, "id", "empty", &row));
            continue;
        }
        let st = get(status).split_whitespace().next().and_then(LossStatus::parse);
        let Some(st) = st else {
            out.rejects.push(reject(
                file,
                line,
                "status",
                format!("`{}` is not a loss status", get(status)),
                &row,
            ));
            continue;
        };
        let event = match get(date) {
            "" => None,
            s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    out.rejects
                        .push(reject(file, line, "date", format!("`{s}` is not a date"), &row));
                    continue;
                }
            },
        };
        let location = match get(geo) {
            "" => None,
            s => match parse_lat_lon(s) {
                Some((lat, lon)) => Some(Location {
                    lat,
                    lon,
                    precision_m: None,
                }),
                None => {
                    out.rejects.push(reject(
                        file,
                        line,
                        "geolocation",
                        format!("`{s}` is not `lat,lon`"),
                        &row,
                    ));
                    continue;
                }
            },
        };
        let item = EvidenceItem {
            source: "warspotting".into(),
            key: key.to_string(),
            side: get(lost_by).to_lowercase(),
            category: super::warspotting_category(get(kind)).to_string(),
            model: get(model).to_string(),
            status: st,
            count: 1,
            dates: EvidenceDates {
                event,
                published: None,
                recorded,
            },
            location,
            proof_urls: match get(url) {
                "" => vec![],
                u => vec![u.to_string()],
            },
        };
        match seen.check(crate::Record::Line(line), &item) {
            Ok(true) => out.items.push(item),
            Ok(false) => {}
            Err(reason) => out.rejects.push(reject(file, line, "id", reason, &row)),
        }
    }
    Ok(out)
}

fn parse_lat_lon(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let (lat, lon) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str =
        "id,type,model,status,lost_by,date,nearest_location,geolocation,unit,oryx_url,Latitude,Longitude\n";

    #[test]
    fn reads_rows() {
        let t = format!(
            "{HEAD}2,Tanks,T-64BV,Destroyed,Russia,2022-03-16,\"Mariupol\",\"47.09,37.52\",,https://i.postimg.cc/v.png,47.09,37.52\n"
        );
        let p = parse_warspotting(Path::new("losses.csv"), t.as_bytes(), Utc::now()).unwrap();
        let i = &p.items[0];
        assert_eq!(
            (i.key.as_str(), i.category.as_str(), i.side.as_str()),
            ("2", "tanks", "russia")
        );
        assert_eq!(i.location.map(|l| (l.lat, l.lon)), Some((47.09, 37.52)));
        assert_eq!(i.dates.published, None);
    }

    #[test]
    fn bad_geolocation_is_rejected() {
        let t = format!("{HEAD}2,Tanks,T-64BV,Destroyed,Russia,2022-03-16,M,\"north\",,,,\n");
        let p = parse_warspotting(Path::new("losses.csv"), t.as_bytes(), Utc::now()).unwrap();
        assert_eq!(
            p.rejects[0].to_string(),
            "losses.csv: line 2: field `geolocation`: `north` is not `lat,lon`"
        );
    }
}
