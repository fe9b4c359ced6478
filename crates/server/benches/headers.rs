//! What the security headers cost per answer, in process (#21): a handler
//! answering a small JSON body (the size of a month of a daily series) bare,
//! with the API's two header layers, and with the page's four, called
//! through the router as the server calls it. What is left out is the same
//! for all three: the socket, and hyper writing the head (a hundred bytes
//! more with the headers).
//!
//!   cargo bench -p frontline-server --bench headers
use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use frontline_server::security::{with_api_headers, with_page_headers};
use std::hint::black_box;
use tower::ServiceExt;

fn app() -> Router {
    let body: &'static str =
        Box::leak(format!("[{}]", vec![r#"{"date":"2024-11-01","value":1530}"#; 30].join(",")).into_boxed_str());
    Router::new().route(
        "/x",
        get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body) }),
    )
}

fn headers(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let mut g = c.benchmark_group("headers");
    for (name, router) in [
        ("bare", app()),
        ("api (2 headers)", with_api_headers(app())),
        ("page (4 headers)", with_page_headers(app())),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                rt.block_on(async {
                    let req = Request::get("/x").body(Body::empty()).expect("request");
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
