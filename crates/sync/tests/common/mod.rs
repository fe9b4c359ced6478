//! What every replay test needs: a router served on loopback in its own
//! thread, and a client configuration without pauses.

use frontline_sync::FetchConfig;
use std::time::Duration;

/// Serves `app` on a free loopback port; returns its base URL.
pub fn serve(app: axum::Router) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{}", rx.recv().unwrap())
}

/// Asks `base` without pacing, with short backoffs.
pub fn config(base: &str) -> FetchConfig {
    let mut c = FetchConfig::new(base);
    c.min_interval = Duration::ZERO;
    c.backoff = Duration::from_millis(10);
    c.timeout = Duration::from_secs(10);
    c
}

/// Stores a wrong version of one item, as a buggy parser would have: the
/// mistake a reparse of the kept bodies must put right.
#[allow(dead_code)] // the replay tests store none
pub fn import_buggy(store: &mut dyn frontline_store::Store, wrong: frontline_model::EvidenceItem) {
    let meta = frontline_model::SourceMeta::new(
        "a buggy parse",
        "ef".repeat(32),
        frontline_model::SourceKind::Losses,
        chrono::Utc::now(),
    );
    let coverage = frontline_store::Coverage::Partial { gone: vec![] };
    let import = frontline_store::EvidenceImport {
        meta,
        items: vec![wrong],
        coverage,
    };
    store.import_evidence(&[import]).expect("the wrong version is stored");
}
