//! Plausible ranges of figures, stated once. A figure outside its range is
//! refused at parsing with its record and field named: it is a typo, a
//! corrupt file or an attack, and accepting it would make sums and
//! differences wrap or dwarf every real figure.

/// Largest cumulative tally or correction (absolute) accepted: a hundred
/// million. The largest real series, claimed personnel, is about 1.2 million
/// after four years; bounding figures this way also keeps every sum and
/// difference of them far from the 64-bit limit.
pub const MAX_TALLY_FIGURE: i64 = 100_000_000;

/// Largest population of a place: fifty million (Tokyo's metropolitan area
/// is about 37 million).
pub const MAX_POPULATION: u64 = 50_000_000;

/// The first day of the full-scale invasion: no loss of this war happened
/// before it.
pub fn war_start() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2022, 2, 24).unwrap_or_default()
}

/// Largest number of items one loss record may stand for.
pub const MAX_ITEM_COUNT: u32 = 10_000;

/// Largest count of one period of a named list (deaths or missing of a
/// month): ten million. The largest real one, a month of UALosses, is a few
/// thousand; past this a figure is a typo or an attack, and sums of it
/// would dwarf every real one.
pub const MAX_PERIOD_COUNT: u64 = 10_000_000;

/// The first day a named list's period may start: 2014-01-01 (the lists
/// count the war from its start in Donbas).
pub fn lists_start() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2014, 1, 1).unwrap_or_default()
}
