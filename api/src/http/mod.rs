//! The HTTP side: actix-web routes documented with utoipa, the wire types
//! they speak, the extractors that turn a request into a caller and parsed
//! values, and the one table of error codes behind every problem answer.
//! Handlers call workflows only.

pub mod auth;
pub mod body_schema;
pub mod connection;
pub mod cursor;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod pages;
pub mod responses;
pub mod route_table;
pub mod routes;
pub mod server;
pub mod telemetry;
pub mod text;
pub mod wire;
