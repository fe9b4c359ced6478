use std::fmt;
use std::path::PathBuf;
use thiserror::Error;

/// Where in a file a bad record sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// 1-based position of an element in a JSON array.
    Index(usize),
    /// 1-based line of a text file.
    Line(u64),
    /// 1-based position of a feature in a GeoJSON FeatureCollection.
    Feature(usize),
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Record::Index(i) => write!(f, "record {i}"),
            Record::Line(l) => write!(f, "line {l}"),
            Record::Feature(n) => write!(f, "feature {n}"),
        }
    }
}

/// Why a file could not be parsed. Every variant names the file.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file is not well-formed JSON.
    #[error("{file}: malformed JSON at line {line}, column {column}: {message}")]
    Json {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The file is not well-formed CSV.
    #[error("{file}: malformed CSV at line {line}: {message}")]
    Csv {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// One field of one record is wrong.
    #[error("{file}: {record}: field `{field}`: {message}")]
    Field {
        /// The file.
        file: PathBuf,
        /// Which record.
        record: Record,
        /// Which field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The file as a whole is not of the expected shape.
    #[error("{file}: {message}")]
    Shape {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl IngestError {
    pub(crate) fn field(file: &std::path::Path, record: Record, field: &str, message: impl Into<String>) -> Self {
        IngestError::Field {
            file: file.to_path_buf(),
            record,
            field: field.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn json(file: &std::path::Path, e: &serde_json::Error) -> Self {
        IngestError::Json {
            file: file.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: plain_message(&e.to_string()),
        }
    }

    pub(crate) fn csv(file: &std::path::Path, e: &csv::Error) -> Self {
        IngestError::Csv {
            file: file.to_path_buf(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        }
    }

    pub(crate) fn shape(file: &std::path::Path, message: impl Into<String>) -> Self {
        IngestError::Shape {
            file: file.to_path_buf(),
            message: message.into(),
        }
    }
}

frontline_model::classified!(IngestError);

impl frontline_model::Classify for IngestError {
    /// A file that cannot be parsed is the caller's input at fault; one that
    /// does not exist was named wrongly.
    fn class(&self) -> frontline_model::ErrorClass {
        use frontline_model::ErrorClass;
        match self {
            IngestError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => ErrorClass::NotFound,
            _ => ErrorClass::BadRequest,
        }
    }
}

/// A parser's message without the names of the program's own types: serde
/// says "expected struct DeserializeFeatureHelper", which means nothing to
/// the person fixing the file.
pub(crate) fn plain_message(m: &str) -> String {
    let m = m.replace("Error while deserializing GeoJSON: ", "");
    let mut out = String::with_capacity(m.len());
    let mut rest = m.as_str();
    while let Some(at) = rest.find("struct ").or_else(|| rest.find("enum ")) {
        let (before, from) = rest.split_at(at);
        let is_enum = from.starts_with("enum ");
        let after = &from[if is_enum { 5 } else { 7 }..];
        let ident = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        out.push_str(before);
        if ident == 0 {
            out.push_str(&from[..if is_enum { 5 } else { 7 }]);
        } else {
            out.push_str(if is_enum {
                "one of its allowed values"
            } else {
                "a JSON object"
            });
        }
        rest = &after[ident..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod plain_tests {
    #[test]
    fn parser_messages_name_no_program_types() {
        assert_eq!(
            super::plain_message(
                "Error while deserializing GeoJSON: invalid type: integer `5`, expected struct DeserializeFeatureHelper at line 1 column 41"
            ),
            "invalid type: integer `5`, expected a JSON object at line 1 column 41"
        );
        assert_eq!(
            super::plain_message("unknown variant `x`, expected enum Status"),
            "unknown variant `x`, expected one of its allowed values"
        );
    }
}
