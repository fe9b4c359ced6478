//! Who makes a claim, and whose losses it is about.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! slug_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Canonicalises to a lower-case slug (`Ukrainian General Staff` →
            /// `ukrainian-general-staff`) so the same party is not stored twice.
            pub fn new(name: &str) -> Self {
                let slug = name
                    .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("-")
                    .to_lowercase();
                $name(slug)
            }

            /// The canonical slug.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// True when nothing is left after canonicalisation.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_type!(
    /// The party that makes a claim, e.g. `ua-general-staff`.
    ///
    /// ```
    /// use frontline_model::Claimant;
    /// assert_eq!(Claimant::new("UA General_Staff").as_str(), "ua-general-staff");
    /// ```
    Claimant
);

slug_type!(
    /// The party whose losses a claim is about, e.g. `russia`.
    Subject
);

impl Claimant {
    /// The Ukrainian General Staff, claimant of the daily loss tallies.
    pub fn ua_general_staff() -> Self {
        Claimant::new("ua-general-staff")
    }
}

impl Subject {
    /// Russia's armed forces, subject of the General Staff tallies.
    pub fn russia() -> Self {
        Subject::new("russia")
    }
}
