//! What the security headers cost per answer, in process (#21): a handler
//! answering a small JSON body (the size of a month of a daily series),
//! called through the router as the server calls it, with the server's one
//! pass over each response either setting nothing or setting the headers
//! (`security::answer_headers`). What is left out is the same for both: the
//! socket, and hyper writing the head (a hundred bytes more with them).
//!
//!   cargo bench -p frontline-server --bench headers
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use frontline_server::security::answer_headers;
use std::hint::black_box;
use tower::ServiceExt;

fn app() -> Router {
    let body: &'static str =
        Box::leak(format!("[{}]", vec![r#"{"date":"2024-11-01","value":1530}"#; 30].join(",")).into_boxed_str());
    let answer = move || async move { ([(header::CONTENT_TYPE, "application/json")], body) };
    Router::new()
        .route("/api/v1/x", get(answer))
        .route("/page.js", get(answer))
}

/// The same pass over the response, setting nothing.
async fn nothing(req: Request, next: Next) -> Response {
    next.run(req).await
}

fn headers(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let mut g = c.benchmark_group("headers");
    let bare = app().layer(middleware::from_fn(nothing));
    let set = app().layer(middleware::from_fn(answer_headers));
    // Each pair twice, in turns: on a shared machine the speed drifts
    // between one function and the next, and this shows by how much.
    for (name, router, path) in [
        ("api, none", &bare, "/api/v1/x"),
        ("api, its 2 headers", &set, "/api/v1/x"),
        ("api, none (again)", &bare, "/api/v1/x"),
        ("api, its 2 headers (again)", &set, "/api/v1/x"),
        ("page, none", &bare, "/page.js"),
        ("page, its 4 headers and caching", &set, "/page.js"),
        ("page, none (again)", &bare, "/page.js"),
        ("page, its 4 headers and caching (again)", &set, "/page.js"),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                rt.block_on(async {
                    let req = Request::get(path).body(Body::empty()).expect("request");
                    let resp = router.clone().oneshot(req).await.expect("answer");
                    black_box(resp.headers().len())
                })
            })
        });
    }
    g.finish();
}

criterion_group!(benches, headers);
criterion_main!(benches);
