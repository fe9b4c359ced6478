//! Shared harness for the tests that drive the real `frontline` binary.
#![allow(dead_code)] // each test crate uses a different part

pub mod mvt;

use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture under `tests/fixtures`, as a path string.
pub fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// `import control` flags for ISW's layers: generic GeoJSON, every feature
/// occupied, dated by its `date` property.
pub const ISW_FLAGS: &[&str] = &[
    "--as",
    "geojson",
    "--mapper",
    "isw",
    "--every-feature",
    "occupied",
    "--time-property",
    "date",
];

/// The binary, with no database chosen by the environment.
pub fn frontline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_frontline"));
    c.env_remove("FRONTLINE_DB").env_remove("FRONTLINE_TOKEN");
    c
}

/// Whether this run is CI, where nothing may skip.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// `$FRONTLINE_DATA` when it holds `folder`; else `None`, and the caller
/// skips, saying so. In CI (`CI` set; `.ci/run` sets the data folder) a
/// missing folder fails the test instead: a real-data test that silently
/// skips there checks nothing.
pub fn shared_data(folder: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("FRONTLINE_DATA").map(PathBuf::from);
    match dir {
        Some(d) if d.join(folder).is_dir() => Some(d),
        _ if in_ci() => panic!("CI must run the real-data tests, but $FRONTLINE_DATA/{folder} is missing"),
        _ => None,
    }
}

/// A real-data test's set-up: the shared data folder (when it holds
/// `folder`), a scratch folder (keep it bound while the test runs) and a
/// database path in it. `None`, having said so, when the data are not
/// there: the test returns (CI fails instead, see [`shared_data`]).
pub fn real(folder: &str) -> Option<(PathBuf, tempfile::TempDir, PathBuf)> {
    let Some(data) = shared_data(folder) else {
        eprintln!("skipped: set FRONTLINE_DATA to the shared data folder (with {folder}/) to run this real-data test");
        return None;
    };
    let tmp = tempfile::tempdir().expect("a scratch folder");
    let db = tmp.path().join("real.db");
    Some((data, tmp, db))
}

/// The General Staff's three tally files, in a folder of them.
pub const TALLY_FILES: &[&str] = &[
    "russia_losses_personnel.json",
    "russia_losses_equipment.json",
    "russia_losses_equipment_correction.json",
];

/// The four Oryx event files, in the shared data folder.
pub const ORYX_FILES: &[&str] = &[
    "oryx-scarnecchia/event_destroyed.csv",
    "oryx-scarnecchia/event_damaged.csv",
    "oryx-scarnecchia/event_abandoned.csv",
    "oryx-scarnecchia/event_captured.csv",
];

/// `names` in `dir`, as command-line words.
pub fn files(dir: &Path, names: &[&str]) -> Vec<String> {
    names.iter().map(|n| dir.join(n).display().to_string()).collect()
}

/// Runs the binary on `db`, as it ends.
pub fn run_on(db: &Path, args: &[&str]) -> Output {
    frontline()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs the binary on `db`; panics with its stderr on failure.
pub fn ok_on(db: &Path, args: &[&str]) -> String {
    let out = frontline().arg("--db").arg(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Like [`ok_on`], with `--format json`, parsed.
pub fn json_on(db: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok_on(db, &[args, &["--format", "json"]].concat())).unwrap()
}

/// A fresh database in a temporary folder.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        Env { dir, db }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        frontline().arg("--db").arg(&self.db).args(args).output().unwrap()
    }

    /// The exit code of a run on this database (`None`: killed).
    pub fn exit(&self, args: &[&str]) -> Option<i32> {
        self.run(args).status.code()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        ok_on(&self.db, args)
    }

    /// Output parsed as JSON (the caller passes `--format json`).
    pub fn json_raw(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Adds `--format json` and parses.
    pub fn json(&self, args: &[&str]) -> Value {
        json_on(&self.db, args)
    }
}

/// A `frontline serve` process, killed when dropped (so a failing
/// assertion leaves no server behind).
pub struct Running {
    /// The process.
    pub child: std::process::Child,
    /// `host:port` it listens on.
    pub addr: String,
}

impl Running {
    /// The server's peak resident memory so far (`VmHWM`), KiB.
    pub fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `frontline --db DB serve --addr 127.0.0.1:0 ARGS…` and waits for
/// it to say where it listens; its log is drained in the background.
pub fn serve(db: &str, args: &[&str]) -> Running {
    use std::io::{BufRead, BufReader};
    let mut child = frontline()
        .arg("--db")
        .arg(db)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .env_remove("FRONTLINE_TOKEN")
        .env("FRONTLINE_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let running = |child| Running {
        child,
        addr: String::new(),
    };
    let mut server = running(child);
    server.addr = loop {
        let line = lines.next().expect("server exited").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    server
}

/// The rows of a JSON array answer (panics with the answer when it is not
/// one, so a failing test shows what came back).
pub fn rows(answer: &Value) -> &[Value] {
    match answer.as_array() {
        Some(rows) => rows,
        None => panic!("not an array: {answer}"),
    }
}

/// The string at `pointer` (`/properties/code`) in every row of a JSON
/// array answer.
pub fn strs<'a>(answer: &'a Value, pointer: &str) -> Vec<&'a str> {
    rows(answer)
        .iter()
        .map(|r| match r.pointer(pointer).and_then(Value::as_str) {
            Some(s) => s,
            None => panic!("no string at {pointer} in {r}"),
        })
        .collect()
}

/// A command line's words, written as one line (`"territory area --period
/// month"`): no word of these tests holds a space.
pub fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// Words that may hold spaces (a category, a path), then the rest of the
/// command line written as one.
pub fn args<'a>(first: &[&'a str], rest: &'a str) -> Vec<&'a str> {
    first.iter().copied().chain(words(rest)).collect()
}

/// Asserts that a run failed with exit `code` and a stderr holding `want`;
/// the stderr, for further checks.
pub fn fails(out: &Output, code: i32, want: &str) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(want), "wanted {want:?} in: {err}");
    err
}

/// The `fields` of every row of a JSON array answer, as an array of
/// arrays, to compare with `json!([[…], …])` (a missing field is `null`).
pub fn table(answer: &Value, fields: &[&str]) -> Value {
    let row = |r: &Value| fields.iter().map(|f| r[*f].clone()).collect::<Value>();
    rows(answer).iter().map(row).collect()
}

/// The `fields` (strings) of every row of a JSON array answer, joined by
/// spaces: one line a row, as a derivation script prints them.
pub fn lines(answer: &Value, fields: &[&str]) -> Vec<String> {
    let text = |r: &Value, f: &str| match r[f].as_str() {
        Some(s) => s.to_string(),
        None => panic!("no string {f} in {r}"),
    };
    rows(answer)
        .iter()
        .map(|r| fields.iter().map(|f| text(r, f)).collect::<Vec<_>>().join(" "))
        .collect()
}

/// A bare HTTP/1.1 exchange: (status, the response head lower-cased,
/// content type, body).
pub fn exchange(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    // The server's address as `Host`, unless the caller gives its own.
    let host = if headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        String::new()
    } else {
        format!("Host: {addr}\r\n")
    };
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\n{host}Connection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("headers");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let ctype = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default();
    let mut body = raw[split + 4..].to_vec();
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, head.to_ascii_lowercase(), ctype, body)
}

/// `GET path`: (status, content type, body).
pub fn http_get(addr: &str, path: &str) -> (u16, String, Vec<u8>) {
    let (status, _, ctype, body) = exchange(addr, "GET", path, &[], b"");
    (status, ctype, body)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 4 + size..];
    }
    out
}
