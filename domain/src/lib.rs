//! The credentialing domain of 922 KAR 2:240: pure rules and values, no IO.
//!
//! Nothing here reads a clock, a file, a database or the network: callers pass
//! `today`/`now` in. CI checks with `cargo tree -i` that no IO crate sneaks in.

pub mod account;
pub mod announcement;
pub mod application;
pub mod approval;
pub mod credential;
pub mod error;
pub mod payment;
pub mod rules;
pub mod training;
pub mod transcript;
pub mod validation;

pub use error::{DomainError, ErrorCode, ErrorKind};
