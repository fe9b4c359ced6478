//! Reading a source file once, with its fingerprint.

use crate::IngestError;
use sha2::{Digest, Sha256};
use std::path::Path;

/// A file's bytes and SHA-256, read once so the hash always describes exactly
/// the bytes that were parsed, under the name its provider gave: every
/// import takes one, whether the bytes came from disk, an upload or a sync.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name the file is stored and shown under: a file's own name (never
    /// the folder it was read from, which says nothing of the source and is
    /// not for the public), an upload's given name, or the name a source
    /// gave. Errors name it.
    pub name: String,
    /// The whole content.
    pub bytes: Vec<u8>,
    /// Lower-case hex SHA-256 of `bytes`.
    pub sha256: String,
}

impl SourceFile {
    /// Reads `path` and fingerprints it; named by the file's own name.
    pub fn read(path: &Path) -> Result<Self, IngestError> {
        let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
            file: path.to_path_buf(),
            source,
        })?;
        Ok(Self::from_bytes(Self::name_of(path), bytes))
    }

    /// The name a file read from `path` is stored under: its own name.
    pub fn name_of(path: &Path) -> String {
        path.file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
    }

    /// Wraps bytes that did not come from disk (an upload, a sync, a test).
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        let sha256 = sha256_hex(&bytes);
        SourceFile {
            name: name.into(),
            bytes,
            sha256,
        }
    }

    /// The name as a path, for the parsers, which name their file in errors.
    pub fn path(&self) -> &Path {
        Path::new(&self.name)
    }
}

/// Lower-case hex SHA-256 of `bytes`: how every source is keyed.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
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
        let f = SourceFile::from_bytes("x", b"abc".to_vec());
        assert_eq!(
            f.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_file_read_from_disk_is_named_by_its_own_name() {
        let dir = std::env::temp_dir().join(format!("frontline-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("2024-11-01.json");
        std::fs::write(&path, b"{}").unwrap();
        let f = SourceFile::read(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(f.name, "2024-11-01.json");
        assert_eq!(f.path(), Path::new("2024-11-01.json"));
    }
}
