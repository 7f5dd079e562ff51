//! The kecs API crate, in two trees:
//! - [`workflows`]: each use case of the product, in one transaction, over
//!   the domain and persistence crates. It knows no HTTP (`make test` checks
//!   that it never names actix-web, utoipa or the HTTP tree).
//! - [`http`]: routes, wire types, extractors and the one error table; every
//!   handler parses its request, calls a workflow and shapes the answer.
//!
//! [`config`] is read once at start-up and handed to both.

pub mod config;
pub mod http;
pub mod workflows;
