//! Named tokens: made, hashed, checked. The store keeps only SHA-256
//! hashes; a token is shown once, when it is made.
//!
//! Checking compares the hash of the presented token with every active
//! token's hash (and the server's `--token`, if any) without stopping at
//! the first match, in time independent of where or whether it matches.

use crate::error::{bad, missing};
use anyhow::{Context, Result};
use chrono::Utc;
use frontline_store::{Role, Store, TokenRecord};
use sha2::{Digest, Sha256};
use std::io::Read;

/// Who a request acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The token's name (`env` for the server's `--token`).
    pub name: String,
    /// What it may do.
    pub role: Role,
}

/// Lower-case hex SHA-256 of a token.
pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new random token: `fl_` and 32 bytes of the OS's randomness, hex.
pub fn generate() -> Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("reading /dev/urandom for a new token")?;
    Ok(format!(
        "fl_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The principal a presented token stands for: an active stored token, or
/// the server's own `env_token` (an admin named `env`). Revoked tokens
/// match nothing.
pub fn authenticate(store: &dyn Store, env_token: Option<&str>, presented: &str) -> Result<Option<Principal>> {
    let given = hash(presented);
    let mut found = None;
    if let Some(env) = env_token
        && same(hash(env).as_bytes(), given.as_bytes())
    {
        found = Some(Principal {
            name: "env".into(),
            role: Role::Admin,
        });
    }
    for t in store.tokens()? {
        let matches = same(t.sha256.as_bytes(), given.as_bytes());
        if matches && t.revoked_at.is_none() && found.is_none() {
            found = Some(Principal {
                name: t.name,
                role: t.role,
            });
        }
    }
    Ok(found)
}

/// Whether any write token exists (stored and active, or `env_token`).
pub fn writes_enabled(store: &dyn Store, env_token: Option<&str>) -> Result<bool> {
    Ok(env_token.is_some() || store.tokens()?.iter().any(|t| t.revoked_at.is_none()))
}

/// Makes and stores a token; returns it (shown once).
pub fn add(store: &mut dyn Store, name: &str, role: &str) -> Result<String> {
    let role = Role::parse(role).ok_or_else(|| bad!("unknown role `{role}` (reader, importer, admin)"))?;
    if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return Err(bad!("a token name is 1–64 letters, digits, `-`, `_` or `.`"));
    }
    let token = generate()?;
    store.put_token(&TokenRecord {
        name: name.to_string(),
        role,
        sha256: hash(&token),
        created_at: Utc::now(),
        revoked_at: None,
    })?;
    Ok(token)
}

/// Revokes a token by name.
pub fn revoke(store: &mut dyn Store, name: &str) -> Result<()> {
    if store.revoke_token(name)? {
        Ok(())
    } else {
        Err(missing!("no active token named `{name}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_sha256_hex() {
        // printf 'abc' | sha256sum
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn generated_tokens_differ_and_are_long() {
        let (a, b) = (generate().unwrap(), generate().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 3 + 64);
    }
}
