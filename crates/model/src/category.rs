//! Loss categories: an open vocabulary with one canonical spelling.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A loss category such as `personnel`, `tank` or `field artillery`.
///
/// The vocabulary is open because sources add categories over time (the
/// General Staff added `submarines` in 2023 and `ground robotic systems` in
/// 2026). Names are canonicalised so that `APC`, `apc`, `field_artillery` and
/// `field-artillery` name the same thing whether they come from a file or from
/// a user's command line.
///
/// ```
/// use frontline_model::Category;
/// assert_eq!(Category::new("Field_Artillery").as_str(), "field artillery");
/// assert_eq!(Category::new("  APC ").as_str(), "apc");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Category(String);

impl Category {
    /// Canonicalises a category name: lower case, `_`/`-` as spaces, runs of
    /// white space folded to one space.
    pub fn new(name: &str) -> Self {
        let replaced: String = name
            .chars()
            .map(|c| if c == '_' || c == '-' { ' ' } else { c })
            .collect();
        let folded = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
        Category(folded.to_lowercase())
    }

    /// The canonical name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the name is empty after canonicalisation.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms_agree() {
        for raw in [
            "field artillery",
            "Field Artillery",
            "field_artillery",
            "field-artillery",
            " field   artillery ",
        ] {
            assert_eq!(Category::new(raw).as_str(), "field artillery", "{raw}");
        }
    }

    #[test]
    fn empty_is_detected() {
        assert!(Category::new(" _ ").is_empty());
    }
}
