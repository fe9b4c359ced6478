//! `frontline export site`: the page as a static site. Readers then need no
//! Frontline process: any static host or object store behind a CDN serves
//! it. The site holds
//! - the built page, marked static (`<meta name="frontline-static">`), so
//!   it reads files instead of the API;
//! - `tiles/control.pmtiles`: the control history and the settlements as
//!   vector tiles, every date in one archive, read by range requests;
//! - `api/v1/…`: the answers the charts and tables read, rendered by the
//!   live server's own router (so a file is byte for byte what the server
//!   would answer), named by [`file_name`];
//! - `api/v1/feeds/{events,records,handovers}.{atom,json}`: the event feeds
//!   without filters, at the live server's paths.
//!
//! What depends on a chosen date beyond the map (the 30-day tables, the
//! second mapper's comparison) stays with the live server; the page says so.

use anyhow::{Context, Result};
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use frontline_app::commands::tiles;
use frontline_app::error::UserError;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

/// Bad input, classified as such (exit 1), never an internal fault.
macro_rules! refuse {
    ($($t:tt)*) => { return Err(UserError::BadRequest(format!($($t)*)).into()) };
}

/// Largest single answer written (the located losses are the largest, a
/// few MB).
const MAX_ANSWER: usize = 64 * 1024 * 1024;
/// Marks a folder as an export and lists the files it wrote, so a second
/// export replaces those and nothing else (a CNAME or README the user
/// added stays); any other non-empty folder is refused.
const MARK: &str = ".frontline-site";

/// The first line of the mark; the files written follow, one a line.
const MARK_HEAD: &str = "# written by `frontline export site`; the files it wrote:";

/// The folder being written: every file goes through [`Site::write`], which
/// keeps it inside the folder and remembers it for the mark.
struct Site {
    out: PathBuf,
    written: Vec<String>,
}

impl Site {
    /// Writes `rel` (a path inside the site, `/`-separated). A path that
    /// would leave the folder (a category named `..`, say) is refused.
    fn write(&mut self, rel: &str, body: &[u8]) -> Result<()> {
        let file = self.inside(rel)?;
        write(&file, body)?;
        self.written.push(rel.trim_start_matches('/').to_string());
        Ok(())
    }

    fn inside(&self, rel: &str) -> Result<PathBuf> {
        let r = Path::new(rel.trim_start_matches('/'));
        if r.as_os_str().is_empty() || r.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            anyhow::bail!("`{rel}` is not a plain path inside the site; not written");
        }
        Ok(self.out.join(r))
    }

    /// Writes the mark: the files of this export.
    fn finish(mut self) -> Result<()> {
        self.written.sort();
        self.written.dedup();
        let mut text = String::from(MARK_HEAD);
        for f in &self.written {
            text.push('\n');
            text.push_str(f);
        }
        text.push('\n');
        std::fs::write(self.out.join(MARK), text).with_context(|| format!("writing {}", self.out.join(MARK).display()))
    }
}

/// What `export site` is asked.
#[derive(Debug, Clone)]
pub struct SiteRequest {
    /// The database.
    pub db: String,
    /// The built page (`web/dist`).
    pub web: PathBuf,
    /// Where to write.
    pub out: PathBuf,
    /// Whose control maps (the default mapper when none).
    pub mapper: Option<String>,
    /// Deepest tile zoom.
    pub max_zoom: u8,
}

/// What was written.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SiteReport {
    /// Files of the page copied.
    pub page_files: usize,
    /// API answers written.
    pub answers: usize,
    /// Bytes of the answers.
    pub answer_bytes: u64,
    /// Tiles in the archive.
    pub tiles: usize,
    /// Bytes of the archive.
    pub archive_bytes: u64,
    /// The days the tiles cover.
    pub first_day: String,
    /// Last day.
    pub last_day: String,
}

/// The file an API answer is kept in: the path, then the query sorted by
/// name after `@` (`/lag@period=month&source=oryx.json`). The page's
/// `api.js` names them the same way.
pub fn file_name(path: &str, query: &[(&str, &str)]) -> String {
    let mut q: Vec<(&str, &str)> = query.to_vec();
    q.sort();
    let qs: Vec<String> = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if qs.is_empty() {
        format!("{path}.json")
    } else {
        format!("{path}@{}.json", qs.join("&"))
    }
}

/// The page's manifest of answers it asks with fixed parameters
/// (`web/src/answers.json`, read by the page's `api.js` too): name → (path,
/// parameters), where `{category}` and `{as_of}` are filled in.
const MANIFEST: &str = include_str!("../../../web/src/answers.json");

/// One manifest entry: a path and its parameters, either maybe holding
/// `{name}` placeholders.
type Entry = (String, Vec<(String, String)>);

/// The manifest's entries, in file order.
fn manifest() -> Result<Vec<(String, Entry)>> {
    let v: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(MANIFEST).context("web/src/answers.json")?;
    v.into_iter()
        .filter(|(name, _)| name != "//")
        .map(|(name, e)| {
            let (path, params): (String, std::collections::BTreeMap<String, String>) =
                serde_json::from_value(e).with_context(|| format!("web/src/answers.json: `{name}`"))?;
            Ok((name, (path, params.into_iter().collect())))
        })
        .collect()
}

/// `entry` with its placeholders filled from `vars`; none when one is not
/// given.
fn fill(entry: &Entry, vars: &[(&str, &str)]) -> Option<Entry> {
    let sub = |s: &str| -> Option<String> {
        let mut out = s.to_string();
        while let Some(start) = out.find('{') {
            let end = start + out[start..].find('}')?;
            let value = vars.iter().find(|(k, _)| *k == &out[start + 1..end])?.1;
            out.replace_range(start..=end, value);
        }
        Some(out)
    };
    let params = entry
        .1
        .iter()
        .map(|(k, v)| Some((k.clone(), sub(v)?)))
        .collect::<Option<Vec<_>>>()?;
    Some((sub(&entry.0)?, params))
}

/// Whether an entry names a placeholder.
fn templated(entry: &Entry) -> bool {
    entry.0.contains('{') || entry.1.iter().any(|(_, v)| v.contains('{'))
}

/// Writes the site. Answers the data cannot give (no named lists stored,
/// say) are left out and reported; the page shows its usual note there.
pub async fn site(req: &SiteRequest) -> Result<SiteReport> {
    if !req.web.join("index.html").is_file() {
        refuse!(
            "{} has no index.html: build the page first (cd web && npm run build)",
            req.web.display()
        );
    }
    let (web, out) = (req.web.canonicalize()?, std::path::absolute(&req.out)?);
    if out.starts_with(&web) {
        refuse!(
            "{} is inside the page's folder {}; write the site elsewhere",
            out.display(),
            web.display()
        );
    }
    let mut out = prepare(&req.out)?;
    let page_files = copy_page(&req.web, &mut out)?;
    let config = crate::ServerConfig {
        db: req.db.clone(),
        web_dir: None,
        token: None,
        max_body: 0,
        limits: crate::ConnLimits::default(),
        sync: None,
        webhooks: Default::default(),
    };
    let app = crate::router(config)?;
    // The categories first: each has a series and a records answer.
    let cats: Vec<serde_json::Value> = serde_json::from_slice(&get(&app, "/api/v1/categories").await?.1)?;
    let mut names: Vec<String> = cats
        .iter()
        .filter_map(|c| c.get("category").and_then(|v| v.as_str()).map(str::to_string))
        .collect();
    names.sort();
    names.dedup();
    let (mut answers, mut answer_bytes) = (0usize, 0u64);
    let entries = manifest()?;
    // The fixed answers first, then those per category, then the nowcast,
    // asked as the page asks it: as of the last day with a publication,
    // which the publication counts (`published`) give.
    let mut asked: Vec<Entry> = entries
        .iter()
        .filter(|(_, e)| !templated(e))
        .map(|(_, e)| e.clone())
        .collect();
    for c in &names {
        asked.extend(entries.iter().filter_map(|(_, e)| fill(e, &[("category", c)])));
    }
    let mut last_published: Option<String> = None;
    let published = entries.iter().find(|(n, _)| n == "published").map(|(_, e)| e.clone());
    for (path, query) in &asked {
        let q: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let Some(body) = save(&app, &mut out, path, &q).await? else {
            continue;
        };
        answers += 1;
        answer_bytes += body.len() as u64;
        if published.as_ref() == Some(&(path.clone(), query.clone())) {
            let rows: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap_or_default();
            last_published = rows.last().and_then(|r| r.get("period")?.as_str().map(str::to_string));
        }
    }
    if let Some(as_of) = &last_published {
        for (path, query) in entries.iter().filter_map(|(_, e)| fill(e, &[("as_of", as_of)])) {
            if asked.iter().any(|(p, q)| *p == path && *q == query) {
                continue;
            }
            let q: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            if let Some(body) = save(&app, &mut out, &path, &q).await? {
                answers += 1;
                answer_bytes += body.len() as u64;
            }
        }
    }
    // The feeds, at the paths a reader subscribed to the live server uses:
    // a static host serves them as files (a reader revalidates them with
    // the host's own ETag or Last-Modified).
    for (name, _, _) in frontline_app::feeds::FEEDS {
        for form in ["atom", "json"] {
            let rel = format!("api/v1/feeds/{name}.{form}");
            let (status, body) = get(&app, &format!("/{rel}")).await?;
            if status != StatusCode::OK {
                anyhow::bail!("the feed {rel} answered {status}: {}", String::from_utf8_lossy(&body));
            }
            out.write(&rel, &body)?;
            answers += 1;
            answer_bytes += body.len() as u64;
        }
    }
    // The tiles: built on a blocking thread (minutes on a long history).
    let (db, mapper, max_zoom) = (req.db.clone(), req.mapper.clone(), req.max_zoom);
    let built = tokio::task::spawn_blocking(move || -> Result<tiles::ControlTiles> {
        let store = frontline_store::open(&db)?;
        tiles::build(store.as_ref(), mapper.as_deref(), max_zoom)
    })
    .await??;
    let archive = req.out.join("tiles/control.pmtiles");
    std::fs::create_dir_all(req.out.join("tiles"))?;
    let f = std::fs::File::create(&archive).with_context(|| format!("creating {}", archive.display()))?;
    built.write_pmtiles(std::io::BufWriter::new(f))?;
    out.written.push("tiles/control.pmtiles".into());
    out.finish()?;
    Ok(SiteReport {
        page_files,
        answers,
        answer_bytes,
        tiles: built.tiles.len(),
        archive_bytes: std::fs::metadata(&archive)?.len(),
        first_day: built.days.0.to_string(),
        last_day: built.days.1.to_string(),
    })
}

/// Refuses a non-empty folder that is not an earlier export; in an earlier
/// export, removes the files it wrote (and the folders they leave empty),
/// keeping whatever else is there.
fn prepare(out: &Path) -> Result<Site> {
    if out.exists() {
        let has_files = std::fs::read_dir(out)
            .with_context(|| format!("reading {}", out.display()))?
            .next()
            .is_some();
        if has_files && !out.join(MARK).is_file() {
            refuse!(
                "{} is not empty and not an earlier export; name a new folder (nothing was written)",
                out.display()
            );
        }
    }
    let site = Site {
        out: out.to_path_buf(),
        written: Vec::new(),
    };
    // An earlier export's files go: none of them outlives the data. Files
    // it did not write stay.
    if out.join(MARK).is_file() {
        let listed =
            std::fs::read_to_string(out.join(MARK)).with_context(|| format!("reading {}", out.join(MARK).display()))?;
        let mut dirs = std::collections::BTreeSet::new();
        for rel in listed.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            // A mark edited to name `../x` removes nothing outside.
            let Ok(file) = site.inside(rel) else { continue };
            if file.is_file() {
                std::fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
            }
            let mut d = file.parent();
            while let Some(dir) = d.filter(|d| *d != out) {
                dirs.insert(dir.to_path_buf());
                d = dir.parent();
            }
        }
        // Deepest first; a folder still holding the user's files stays.
        for dir in dirs.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    std::fs::write(out.join(MARK), format!("{MARK_HEAD}\n"))?;
    Ok(site)
}

/// Copies the page, marking its `index.html` static and giving it the
/// page's Content-Security-Policy as a `<meta>` (a static host sends no
/// header of ours; `frame-ancestors` cannot be set that way, docs/security.md).
fn copy_page(web: &Path, out: &mut Site) -> Result<usize> {
    let mut n = 0;
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        for e in std::fs::read_dir(web.join(&rel))? {
            let e = e?;
            let t = e.file_type()?;
            let r = rel.join(e.file_name());
            if t.is_symlink() {
                refuse!(
                    "{} is a symbolic link; the page must be plain files",
                    web.join(&r).display()
                );
            } else if t.is_dir() {
                pending.push(r);
            } else if r == Path::new("index.html") {
                let html = std::fs::read_to_string(e.path())?;
                let Some(at) = html.find("<head>") else {
                    refuse!("{} has no <head>", e.path().display())
                };
                let marked = format!(
                    "{}<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\
                     <meta name=\"referrer\" content=\"strict-origin-when-cross-origin\">\
                     <meta name=\"frontline-static\" content=\"tiles/control.pmtiles\">{}",
                    &html[..at + 6],
                    crate::security::PAGE_POLICY,
                    &html[at + 6..]
                );
                out.write("index.html", marked.as_bytes())?;
                n += 1;
            } else {
                let rel = r.to_str().context("a page file's name is not UTF-8")?.to_string();
                out.write(&rel, &std::fs::read(e.path())?)?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// Percent-encodes what a path segment cannot hold (a category's spaces).
fn encode_path(p: &str) -> String {
    p.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Asks the router for `path?query` and keeps the answer under its file
/// name; an answer other than 200 is left out, with a warning.
async fn save(app: &axum::Router, out: &mut Site, path: &str, q: &[(&str, &str)]) -> Result<Option<Vec<u8>>> {
    let url = format!(
        "/api/v1{}?{}",
        encode_path(path),
        serde_urlencoded::to_string(q).context("query")?
    );
    let (status, body) = get(app, &url).await?;
    if status != StatusCode::OK {
        tracing::warn!("left out {url}: {status} {}", String::from_utf8_lossy(&body));
        return Ok(None);
    }
    let rel = format!("api/v1{}", file_name(path, q));
    if let Err(e) = out.write(&rel, &body) {
        // A name from the data (a category) that is no plain file name.
        tracing::warn!("left out {url}: {e}");
        return Ok(None);
    }
    Ok(Some(body))
}

async fn get(app: &axum::Router, url: &str) -> Result<(StatusCode, Vec<u8>)> {
    let req = Request::get(url).body(Body::empty()).context("request")?;
    let resp = app.clone().oneshot(req).await.context("answering")?;
    let status = resp.status();
    let body = to_bytes(resp.into_body(), MAX_ANSWER)
        .await
        .context("reading an answer")?;
    Ok((status, body.to_vec()))
}

fn write(file: &Path, body: &[u8]) -> Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(file, body).with_context(|| format!("writing {}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_sort_the_query_so_the_page_finds_them() {
        assert_eq!(file_name("/categories", &[]), "/categories.json");
        assert_eq!(
            file_name("/lag", &[("source", "oryx"), ("period", "month")]),
            "/lag@period=month&source=oryx.json"
        );
    }

    #[test]
    fn a_folder_holding_other_files_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let err = prepare(dir.path()).err().unwrap().to_string();
        assert!(err.contains("not empty"), "{err}");
        assert!(!dir.path().join(MARK).exists(), "nothing written");
    }

    #[test]
    fn a_second_export_replaces_its_own_files_and_keeps_the_users() {
        let dir = tempfile::tempdir().unwrap();
        let mut site = prepare(dir.path()).unwrap();
        site.write("index.html", b"old").unwrap();
        site.write("api/v1/series/tank@rolling=7.json", b"[]").unwrap();
        site.finish().unwrap();
        // The user adds a CNAME, a README and a file in a folder of ours.
        std::fs::write(dir.path().join("CNAME"), "map.example.org").unwrap();
        std::fs::write(dir.path().join("api/README"), "mine").unwrap();
        let site = prepare(dir.path()).unwrap();
        assert!(!dir.path().join("index.html").exists(), "ours removed");
        assert!(!dir.path().join("api/v1").exists(), "our emptied folders removed");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("CNAME")).unwrap(),
            "map.example.org"
        );
        assert_eq!(std::fs::read_to_string(dir.path().join("api/README")).unwrap(), "mine");
        site.finish().unwrap();
    }

    #[test]
    fn no_file_is_written_outside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut site = prepare(&out).unwrap();
        for bad in ["api/v1/series/../../../../escape.json", "../escape.json", "/"] {
            assert!(site.write(bad, b"x").is_err(), "{bad}");
        }
        assert!(!dir.path().join("escape.json").exists());
        // A category holding a slash stays inside, in a folder of its own.
        site.write(&format!("api/v1{}", file_name("/series/a/b", &[])), b"[]")
            .unwrap();
        assert!(out.join("api/v1/series/a/b.json").is_file());
    }
}
