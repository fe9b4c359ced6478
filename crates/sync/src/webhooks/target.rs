//! Where a delivery may go: `http(s)` URLs whose host resolves only to
//! public addresses, unless the configuration allows private ones. Checked
//! when a subscription is added and again at each delivery, which connects
//! to the addresses this check resolved (a name that resolves elsewhere
//! between the check and the connection cannot send it inside).

use super::WebhookError;
use reqwest::Url;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// The longest target URL taken.
pub const MAX_URL: usize = 2048;

/// A checked target.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL.
    pub url: Url,
    /// Its host, as the request names it.
    pub host: String,
    /// The addresses it resolved to, all allowed.
    pub addrs: Vec<SocketAddr>,
}

/// Checks a target URL and resolves its host.
pub fn check(url: &str, allow_private: bool) -> Result<Target, WebhookError> {
    let bad = |why: &str| WebhookError::Target(format!("{why}: {}", shown(url)));
    if url.len() > MAX_URL {
        return Err(bad(&format!("longer than {MAX_URL} characters")));
    }
    let parsed = Url::parse(url).map_err(|e| bad(&format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad("only http and https targets are taken"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "a target carries no user or password (sign with the secret instead)",
        ));
    }
    let host = parsed.host_str().ok_or_else(|| bad("no host"))?.to_string();
    let port = parsed.port_or_known_default().ok_or_else(|| bad("no port"))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = (bare, port)
        .to_socket_addrs()
        .map_err(|e| bad(&format!("the host does not resolve ({e})")))?
        .collect();
    if addrs.is_empty() {
        return Err(bad("the host resolves to no address"));
    }
    if !allow_private && let Some(a) = addrs.iter().find(|a| !public(a.ip())) {
        return Err(bad(&format!(
            "the host resolves to {}, a loopback, private or reserved address \
             (allowed only when the configuration says so: --webhook-allow-private)",
            a.ip()
        )));
    }
    Ok(Target {
        url: parsed,
        host: bare.to_string(),
        addrs,
    })
}

/// A URL as errors show it: without its query (which may hold a key).
fn shown(url: &str) -> String {
    let cut = url.split(['?', '#']).next().unwrap_or_default();
    cut.chars().take(200).collect()
}

/// Whether an address is on the public internet: not loopback, private,
/// link-local, carrier-grade NAT, unique-local, documentation, multicast,
/// unspecified or otherwise reserved (IPv4-mapped IPv6 judged as IPv4).
pub fn public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064 && v6.segments()[1] == 0xff9b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_pass() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!public(private.parse().unwrap()), "{private}");
        }
        for open in ["1.1.1.1", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"] {
            assert!(public(open.parse().unwrap()), "{open}");
        }
    }

    #[test]
    fn targets_are_http_and_public_unless_allowed() {
        let refused = |u: &str| check(u, false).unwrap_err().to_string();
        assert!(refused("ftp://1.1.1.1/x").contains("only http and https"));
        assert!(refused("javascript:alert(1)").contains("only http and https"));
        assert!(refused("http://user:pw@1.1.1.1/").contains("no user or password"));
        let e = refused("http://127.0.0.1:9/hook?key=secret");
        assert!(e.contains("127.0.0.1, a loopback") && !e.contains("secret"), "{e}");
        assert!(refused("http://[::1]/").contains("loopback"));
        assert!(refused("http://localhost/").contains("loopback"));
        assert!(refused(&format!("http://1.1.1.1/{}", "a".repeat(MAX_URL))).contains("longer than"));
        let ok = check("http://127.0.0.1:9/hook", true).unwrap();
        assert_eq!((ok.host.as_str(), ok.addrs[0].port()), ("127.0.0.1", 9));
        assert_eq!(check("https://1.1.1.1/x", false).unwrap().addrs[0].port(), 443);
    }
}
