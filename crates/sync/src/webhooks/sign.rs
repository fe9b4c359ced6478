//! Signatures of deliveries, in the style of Stripe's: an HMAC-SHA256 over
//! the timestamp and the body, so a receiver can refuse a forged body and a
//! replayed old one.
//!
//! `Frontline-Signature: t=1733550000,v1=5257a869…` where `v1` is the
//! lower-case hex HMAC-SHA256, keyed with the subscription's secret, of
//! `"{t}.{body}"`.

use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// The header that carries it.
pub const HEADER: &str = "Frontline-Signature";

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length: this cannot fail.
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

/// The header's value for a body sent at `timestamp` (Unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = mac(secret, timestamp, body).finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// Whether a header's value signs `body` with `secret`, at a time within
/// `tolerance_secs` of `now` (what a receiver checks; the comparison takes
/// the same time wherever the tags differ).
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance_secs: i64) -> bool {
    let mut t = None;
    let mut tags = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => tags.push(v.to_string()),
            _ => {}
        }
    }
    let Some(t) = t.filter(|t| (now - t).abs() <= tolerance_secs) else {
        return false;
    };
    tags.iter().any(|hex| {
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
            .collect();
        bytes.is_some_and(|b| mac(secret, t, body).verify_slice(&b).is_ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_timestamp_and_body_and_refuses_changes_and_old_ones() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        let got = signature("whsec_test", 1_700_000_000, br#"{"a":1}"#);
        assert_eq!(
            got,
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
        assert!(verify("whsec_test", &got, br#"{"a":1}"#, 1_700_000_100, 300));
        assert!(!verify("whsec_test", &got, br#"{"a":2}"#, 1_700_000_100, 300));
        assert!(!verify("other", &got, br#"{"a":1}"#, 1_700_000_100, 300));
        assert!(
            !verify("whsec_test", &got, br#"{"a":1}"#, 1_700_000_301, 300),
            "too old"
        );
        assert!(!verify(
            "whsec_test",
            "t=1700000000,v1=zz",
            br#"{"a":1}"#,
            1_700_000_000,
            300
        ));
    }
}
