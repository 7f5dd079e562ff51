//! The kecs HTTP API: actix-web handlers over the domain and persistence
//! crates, documented with utoipa.

pub mod attachments;
pub mod auth;
pub mod config;
pub mod crypto;
pub mod error;
pub mod extract;
pub mod gateway;
pub mod letter;
pub mod mail;
pub mod routes;
pub mod server;
pub mod services;
pub mod state;
pub mod telemetry;
pub mod wire;
