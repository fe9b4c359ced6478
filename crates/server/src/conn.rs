//! Connections per client address: one client holding many stalled
//! connections must not starve the others (docs/limits.md).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Open connections per client.
#[derive(Debug, Default, Clone)]
pub struct PerClient {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// A client's hold on one connection; released when dropped.
#[derive(Debug)]
pub struct Slot {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    client: IpAddr,
}

/// The client an address stands for: an IPv4 address, or an IPv6 /64 (one
/// host is handed a whole /64 and may use any address in it).
pub fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    }
}

impl PerClient {
    /// A slot for `ip`'s client, unless it holds `max` already.
    pub fn take(&self, ip: IpAddr, max: usize) -> Option<Slot> {
        let client = client_of(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(client).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            open: self.open.clone(),
            client,
        })
    }

    /// Clients holding a connection now.
    #[cfg(test)]
    pub fn clients(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_capped_and_others_are_not() {
        let p = PerClient::default();
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let held: Vec<Slot> = (0..3).map(|_| p.take(a, 3).unwrap()).collect();
        assert!(p.take(a, 3).is_none(), "the fourth of one client is refused");
        assert!(p.take(b, 3).is_some(), "another client is served");
        drop(held);
        assert_eq!(p.clients(), 0, "slots are released");
        assert!(p.take(a, 3).is_some());
        // Addresses of one IPv6 /64 are one client.
        let x: IpAddr = "2001:db8:1:2::5".parse().unwrap();
        let y: IpAddr = "2001:db8:1:2::6".parse().unwrap();
        let _s = p.take(x, 1).unwrap();
        assert!(p.take(y, 1).is_none());
    }
}
