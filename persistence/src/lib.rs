//! Persistence for kecs: diesel over SQLite or PostgreSQL through one
//! `MultiConnection`, repositories that take and give domain types.

mod db;
mod error;
pub mod repo;
pub mod schema;
mod stored;

pub use db::{Backend, Database, DbConnection, PoolFigures, PoolOptions};
pub use error::PersistenceError;
