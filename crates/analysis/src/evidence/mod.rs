//! Per-item loss evidence: identity across sources, counts, reporting lag,
//! nowcasts of incomplete recent counts, and two-source overlap.

pub mod chain_ladder;
pub mod counts;
pub mod identity;
pub mod lag;
pub mod nowcast;
pub mod overlap;

pub use chain_ladder::{ChainLadder, Triangle};
pub use counts::{CountRow, count_by_period};
pub use identity::Clusters;
pub use lag::{LagAlert, LagRow, lag_alerts, lag_by_period, lag_quantile};
pub use nowcast::{Backtest, NowcastRow, backtest, backtest_days, backtest_step, finals, nowcast, score};
pub use overlap::{Overlap, overlap};
