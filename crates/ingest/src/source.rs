//! Reading a source file once, with its fingerprint.

use crate::IngestError;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A file's bytes and SHA-256, read once so the hash always describes exactly
/// the bytes that were parsed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given.
    pub path: PathBuf,
    /// The whole content.
    pub bytes: Vec<u8>,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256: String,
}

impl SourceFile {
    /// Reads `path` and fingerprints it.
    pub fn read(path: &Path) -> Result<Self, IngestError> {
        let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Ok(Self::from_bytes(path, bytes))
    }

    /// Wraps bytes that did not come from disk (an upload, a test).
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Self {
        let sha256 = hex(&Sha256::digest(&bytes));
        SourceFile {
            path: path.to_path_buf(),
            bytes,
            sha256,
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_bytes() {
        let f = SourceFile::from_bytes(Path::new("x"), b"abc".to_vec());
        assert_eq!(
            f.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
