//! What every answer tells the browser about itself, and the web folder's
//! files resolved at request time (docs/security.md).
//!
//! The page runs no inline script and loads nothing from elsewhere, so its
//! policy can be strict: a script that data smuggled into the page would
//! still not run. Data reaches the page as text (web/src/dom.js); the
//! policy is the second wall, not the first.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The page's policy as a literal, so that the header's is one too.
macro_rules! page_policy {
    () => {
        "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; \
child-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
    };
}

/// The page's Content-Security-Policy, less `frame-ancestors` (which a
/// `<meta>` cannot carry): what the static export writes into its page.
///
/// - scripts, styles, fonts and fetches from this origin only; no inline
///   script, no `eval`;
/// - images from this origin and `data:`/`blob:` (MapLibre's control icons
///   are `data:` SVGs in its stylesheet; it draws sprites from blobs);
/// - workers from this origin and `blob:` (MapLibre's worker);
/// - no plugins (`object-src 'none'`), no `<base>` elsewhere, forms post here.
pub const PAGE_POLICY: &str = page_policy!();

/// The policy the server sends: the page's, and no framing by any site.
pub const HEADER_POLICY: &str = concat!(page_policy!(), "; frame-ancestors 'none'");

/// The policy of API answers: data, never a document, so nothing may load
/// from them and nothing may frame them (as OWASP's REST cheat sheet
/// advises). A tenth of the page's policy in bytes, on every answer.
pub const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// The page's four headers: its policy, `nosniff`, a referrer policy (links
/// out of the page, a claim's source or a proof, carry no address of this
/// server's pages beyond its origin) and no framing.
static PAGE_HEADERS: [(header::HeaderName, HeaderValue); 4] = [
    (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(HEADER_POLICY)),
    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    (
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    ),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
];

/// An API answer's two: its policy (which also forbids framing) and
/// `nosniff`. A JSON, CSV or tile answer has no links to refer from.
static API_HEADERS: [(header::HeaderName, HeaderValue); 2] = [
    (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(API_POLICY)),
    (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
];

/// Every answer's headers, set in the one pass over the response that the
/// server makes anyway (for the page's caching):
/// - an API answer (`/api/…`, errors and 404s included) gets the API's two;
/// - anything else, the page's four, and its caching: hashed assets
///   (`/assets/index-<hash>.js`) never change under their name, so they are
///   cached for a year; everything else is revalidated.
///
/// One middleware around the whole router, not a layer per header: a layer
/// on a router is boxed once per route and costs a boxed future per answer,
/// which BENCHMARKS.md measured at 0.36 µs a header. The values are
/// checked once, at compile time; inserting one copies a pointer.
pub async fn answer_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = path.starts_with("/api/");
    let assets = path.starts_with("/assets/");
    let mut resp = next.run(req).await;
    let headers = resp.headers_mut();
    if api {
        for (name, value) in &API_HEADERS {
            headers.insert(name, value.clone());
        }
        return resp;
    }
    for (name, value) in &PAGE_HEADERS {
        headers.insert(name, value.clone());
    }
    if resp.status().is_success() && !resp.headers().contains_key(header::CACHE_CONTROL) {
        let value = if assets {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    resp
}

/// The web folder, resolved once at start.
#[derive(Debug, Clone)]
pub struct WebRoot(pub Arc<PathBuf>);

/// Resolves the file a request names (following any link) at request time
/// and answers 404 when it lies outside the web folder: a link made in the
/// folder after the server started, pointing anywhere, is never followed
/// out. The file server behind it then serves the same path.
pub async fn stay_in_root(State(root): State<WebRoot>, req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    match resolve(&root.0, req.uri().path()) {
        Inside::Yes => next.run(req).await,
        Inside::No => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

enum Inside {
    Yes,
    No,
}

/// Whether the path, percent-decoded and with every link followed, stays
/// in `root` (canonical). A path that does not exist is left to the file
/// server (a plain 404); `..` and odd components are refused outright.
fn resolve(root: &Path, path: &str) -> Inside {
    let Some(decoded) = percent_decode(path) else {
        return Inside::No;
    };
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Inside::No;
    }
    let mut at = root.to_path_buf();
    // Every prefix is checked, so a link to a folder outside is refused
    // even when the file under it does not exist.
    for c in rel.components() {
        at.push(c);
        match std::fs::canonicalize(&at) {
            Ok(real) if real.starts_with(root) => {}
            Ok(_) => return Inside::No,
            Err(_) => return Inside::Yes,
        }
    }
    Inside::Yes
}

fn percent_decode(s: &str) -> Option<String> {
    let s = percent_encoding::percent_decode_str(s).decode_utf8().ok()?;
    (!s.contains('\0') && !s.contains('\\')).then(|| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_out_of_the_root_are_refused_at_request_time() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("web");
        std::fs::create_dir_all(root.join("assets")).unwrap();
        std::fs::write(root.join("index.html"), "page").unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        let root = root.canonicalize().unwrap();
        assert!(matches!(resolve(&root, "/index.html"), Inside::Yes));
        assert!(matches!(resolve(&root, "/missing.js"), Inside::Yes), "left to the 404");
        assert!(matches!(resolve(&root, "/../secret"), Inside::No));
        assert!(matches!(resolve(&root, "/%2e%2e/secret"), Inside::No));
        // Made after start: a file link and a folder link, both out.
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("late")).unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
        assert!(matches!(resolve(&root, "/late"), Inside::No));
        assert!(matches!(resolve(&root, "/up/secret"), Inside::No));
        assert!(matches!(resolve(&root, "/up/nothing-here"), Inside::No));
        // A link that stays inside is served.
        std::os::unix::fs::symlink(root.join("index.html"), root.join("assets/alias.html")).unwrap();
        assert!(matches!(resolve(&root, "/assets/alias.html"), Inside::Yes));
    }

    #[test]
    fn the_policy_forbids_inline_script_plugins_and_framing() {
        let p = HEADER_POLICY.to_string();
        for part in [
            "default-src 'self'",
            "script-src 'self';",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(p.contains(part), "{part} in {p}");
        }
        assert!(!p.contains("unsafe-inline") && !p.contains("unsafe-eval"), "{p}");
        assert!(
            !PAGE_POLICY.contains("frame-ancestors"),
            "a <meta> policy cannot carry it"
        );
    }
}
