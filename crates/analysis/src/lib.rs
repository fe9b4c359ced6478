//! Analyses over Frontline's model values.
//!
//! Pure functions: no I/O, no SQL, no HTTP. Callers fetch model values from a
//! store and hand them in.

pub mod breaks;
pub mod claims;
pub mod daily;
pub mod evidence;
pub mod period;
pub mod records;
pub mod rolling;
pub mod territory;
pub mod vintages;

pub use daily::{DailyValue, DeriveOptions, Fall, Flag, derive_daily, unexplained_falls};
pub use period::{Period, PeriodValue, aggregate};
pub use records::{RecordDay, records};
pub use rolling::rolling_mean;
