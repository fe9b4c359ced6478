//! A throwaway PostgreSQL cluster for tests: `initdb` into a temporary
//! folder, `pg_ctl start` on a free loopback port, one fresh database per
//! test, everything removed when the test process ends.
//!
//! No containers: Debian's `postgresql` and `postgresql-15-postgis-3`
//! packages are enough (`.ci/run` installs them). `initdb` refuses to run
//! as root, so as root the server runs as the `postgres` user.
//!
//! The cluster is shared by every test of one test binary. It outlives
//! statics (Rust never drops them), so a small watchdog shell stops it and
//! deletes its folder as soon as the test process is gone, even after a
//! panic or a kill.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A running cluster.
pub struct PgCluster {
    port: u16,
    next: AtomicUsize,
}

/// Why no cluster could be had.
#[derive(Debug)]
pub struct Unavailable(pub String);

impl PgCluster {
    /// The cluster of this test process, started on first use. `Err` when
    /// the PostgreSQL binaries are not installed.
    pub fn shared() -> Result<&'static PgCluster, Unavailable> {
        static CLUSTER: OnceLock<Result<PgCluster, String>> = OnceLock::new();
        CLUSTER
            .get_or_init(|| PgCluster::start().map_err(|e| e.0))
            .as_ref()
            .map_err(|e| Unavailable(e.clone()))
    }

    /// A URL to a new, empty database of this cluster.
    pub fn fresh_database(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        let name = format!("t{}_{n}", std::process::id());
        let mut admin =
            postgres::Client::connect(&self.url("postgres"), postgres::NoTls).expect("connecting to the test cluster");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("creating a test database");
        self.url(&name)
    }

    /// A URL to a database of this cluster.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    fn start() -> Result<PgCluster, Unavailable> {
        let bin = bindir().ok_or_else(|| {
            Unavailable(
                "PostgreSQL binaries (initdb, pg_ctl) not found; install postgresql and postgresql-15-postgis-3".into(),
            )
        })?;
        let root = is_root();
        let dir = std::env::temp_dir().join(format!("frontline-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Unavailable(format!("creating {}: {e}", dir.display())))?;
        let data = dir.join("data");
        if root {
            run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir))?;
        }
        let port = free_port()?;
        run(as_pg(root, &bin.join("initdb")).args(["-D"]).arg(&data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        ]))?;
        let opts = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=60",
            dir.display()
        );
        run(as_pg(root, &bin.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .args(["-o", &opts, "-w", "start"]))?;
        watchdog(root, &bin, &dir, &data);
        Ok(PgCluster {
            port,
            next: AtomicUsize::new(0),
        })
    }
}

/// The folder of `initdb` and `pg_ctl`: Debian keeps them out of `PATH`.
fn bindir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn as_pg(root: bool, program: &Path) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(cmd: &mut Command) -> Result<(), Unavailable> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Unavailable(format!("running {cmd:?}: {e}")))?;
    if !out.status.success() {
        return Err(Unavailable(format!(
            "{cmd:?} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}

fn free_port() -> Result<u16, Unavailable> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| Unavailable(e.to_string()))?;
    l.local_addr().map(|a| a.port()).map_err(|e| Unavailable(e.to_string()))
}

/// Stops the cluster and removes its folder once this process has exited.
fn watchdog(root: bool, bin: &Path, dir: &Path, data: &Path) {
    let stop = format!(
        "{}{} -D {} stop -m immediate",
        if root { "runuser -u postgres -- " } else { "" },
        bin.join("pg_ctl").display(),
        data.display()
    );
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.3; done; {stop}; rm -rf {dir}",
        pid = std::process::id(),
        dir = dir.display()
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

/// Whether a missing PostgreSQL must fail the run: in CI (`CI` set) the
/// backend is part of what is tested.
pub fn required() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
        || std::env::var_os("FRONTLINE_REQUIRE_PG").is_some()
}

/// A fresh database URL, or `None` (after saying so loudly) when PostgreSQL
/// is not installed and not required.
pub fn fresh_url() -> Option<String> {
    match PgCluster::shared() {
        Ok(c) => Some(c.fresh_database()),
        Err(Unavailable(why)) if !required() => {
            eprintln!("\n*** SKIPPED: PostgreSQL tests need a local PostgreSQL + PostGIS: {why} ***\n");
            None
        }
        Err(Unavailable(why)) => panic!("PostgreSQL is required here (CI) but unavailable: {why}"),
    }
}
