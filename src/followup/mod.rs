//! What a rating drives: rectification items, the gap to the next star, the town's lists
//! and the year-end dynamic adjustment.

pub mod adjust;
pub mod exchange;
pub mod gap;
pub mod publicity;
pub mod records;
pub mod rectify;
