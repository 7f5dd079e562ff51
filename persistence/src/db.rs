//! One connection type for both backends, a pool of it, transactions, and
//! the embedded migrations.

use crate::error::PersistenceError;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// SQLite (the default: a file, no server) or PostgreSQL (production),
/// behind one type so every query is written once.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Several API nodes may start at once; they take turns migrating.
const MIGRATION_LOCK_KEY: i64 = 0x6b65_6373; // "kecs"

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` URLs are PostgreSQL; anything else is
    /// a SQLite file path (an optional `sqlite://` prefix is dropped).
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// Opens connections of the configured backend directly, rather than through
/// `MultiConnection::establish`, which tries each backend in turn and hides
/// the real reason a connection failed.
#[derive(Debug)]
pub struct ConnectionManager {
    backend: Backend,
    url: String,
}

/// Busy timeout before WAL: switching the journal mode itself needs the lock.
/// WAL lets readers proceed beside the one writer; foreign keys are off in
/// SQLite unless asked for.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match self.backend {
            Backend::Postgres => {
                diesel::PgConnection::establish(&self.url).map(DbConnection::Postgres)
            }
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.url)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    /// Runs on every checkout. A PostgreSQL connection may have died with
    /// its server (the pool must notice, to recover after an outage); an
    /// embedded SQLite connection cannot, so it is spared the round trip.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        match conn {
            DbConnection::Sqlite(_) => Ok(()),
            DbConnection::Postgres(_) => conn
                .batch_execute("SELECT 1")
                .map_err(ConnectionError::CouldntSetupConfiguration),
        }
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

#[derive(Debug)]
struct TracingErrorHandler;

impl r2d2::HandleError<ConnectionError> for TracingErrorHandler {
    fn handle_error(&self, error: ConnectionError) {
        tracing::warn!(%error, "database connection failed");
    }
}

/// Pool settings that matter in operation.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub max_size: u32,
    pub connection_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_size: 8,
            connection_timeout: Duration::from_secs(5),
        }
    }
}

/// The pool every request draws from.
#[derive(Clone)]
pub struct Database {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
    /// SQLite allows one writer at a time. Writers of this process queue
    /// here, in order, instead of in SQLite's busy handler, which retries
    /// with sleeps of up to 100 ms: under 64 concurrent saves that made the
    /// p99 of a write about a second. Other processes (the CLI) still meet
    /// SQLite's own lock and busy timeout.
    sqlite_writer: std::sync::Arc<std::sync::Mutex<()>>,
    /// Threads waiting for a connection now (r2d2 does not count them).
    waiting: std::sync::Arc<AtomicUsize>,
}

/// The pool as the metrics show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolFigures {
    pub max_size: u32,
    pub in_use: u32,
    pub idle: u32,
    /// Threads waiting for a connection.
    pub waiting: usize,
}

/// Counts a thread as waiting for a connection while it exists.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Self(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

type Pooled = r2d2::PooledConnection<ConnectionManager>;

impl Database {
    /// Connects once directly so a wrong URL or a stopped server is reported
    /// with its real cause, then builds the pool.
    pub fn connect(url: &str, options: PoolOptions) -> Result<Self, PersistenceError> {
        let backend = Backend::of_url(url);
        let url = match backend {
            Backend::Postgres => url.to_owned(),
            Backend::Sqlite => {
                let path = url.strip_prefix("sqlite://").unwrap_or(url);
                if let Some(parent) = std::path::Path::new(path)
                    .parent()
                    .filter(|parent| !parent.as_os_str().is_empty())
                {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        PersistenceError::Unavailable(format!(
                            "cannot create the directory of the SQLite file {path}: {e}"
                        ))
                    })?;
                }
                path.to_owned()
            }
        };
        let manager = ConnectionManager { backend, url };
        r2d2::ManageConnection::connect(&manager).map_err(|e| {
            PersistenceError::Unavailable(format!("cannot connect to the {backend} database: {e}"))
        })?;
        let pool = r2d2::Pool::builder()
            .max_size(options.max_size)
            .min_idle(Some(1))
            .connection_timeout(options.connection_timeout)
            .error_handler(Box::new(TracingErrorHandler))
            .build_unchecked(manager);
        Ok(Self {
            pool,
            backend,
            sqlite_writer: std::sync::Arc::default(),
            waiting: std::sync::Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A pooled connection, waiting at most the pool's timeout (or `wait`).
    fn checkout(&self, wait: Option<Duration>) -> Result<Pooled, PersistenceError> {
        let _waiting = Waiting::start(&self.waiting);
        Ok(match wait {
            Some(wait) => self.pool.get_timeout(wait)?,
            None => self.pool.get()?,
        })
    }

    /// How many connections are in use, idle, and waited for, now.
    pub fn pool_figures(&self) -> PoolFigures {
        let state = self.pool.state();
        PoolFigures {
            max_size: self.pool.max_size(),
            in_use: state.connections.saturating_sub(state.idle_connections),
            idle: state.idle_connections,
            waiting: self.waiting.load(Ordering::Relaxed),
        }
    }

    /// [`Database::read`] that gives up after `wait` for a connection: for
    /// a caller (a metrics scrape) that must answer even when the database
    /// does not.
    pub fn read_within<T, E: From<PersistenceError>>(
        &self,
        wait: Duration,
        work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.checkout(Some(wait))?;
        work(&mut conn)
    }

    /// Applies every pending migration of this backend; returns how many ran.
    pub fn migrate(&self) -> Result<usize, PersistenceError> {
        let mut conn = self.pool.get()?;
        let migration_error = |e: Box<dyn std::error::Error + Send + Sync>| {
            PersistenceError::Migration(e.to_string())
        };
        match &mut *conn {
            DbConnection::Postgres(pg) => {
                pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
                let applied = pg
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|v| v.len());
                pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
                applied.map_err(migration_error)
            }
            DbConnection::Sqlite(sqlite) => sqlite
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.len())
                .map_err(migration_error),
        }
    }

    /// Reverts every applied migration, newest first (the test that every
    /// migration has a working `down.sql` uses it).
    pub fn revert_all(&self) -> Result<usize, PersistenceError> {
        let mut conn = self.pool.get()?;
        let migration_error = |e: Box<dyn std::error::Error + Send + Sync>| {
            PersistenceError::Migration(e.to_string())
        };
        match &mut *conn {
            DbConnection::Postgres(pg) => pg
                .revert_all_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len())
                .map_err(migration_error),
            DbConnection::Sqlite(sqlite) => sqlite
                .revert_all_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.len())
                .map_err(migration_error),
        }
    }

    /// Whether the database answers (readiness).
    pub fn ping(&self) -> Result<(), PersistenceError> {
        let mut conn = self.pool.get()?;
        conn.batch_execute("SELECT 1")
            .map_err(|e| PersistenceError::Unavailable(e.to_string()))
    }

    /// Runs `work` on a pooled connection outside any transaction (reads).
    pub fn read<T, E: From<PersistenceError>>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.checkout(None)?;
        work(&mut conn)
    }

    /// Runs `work` in one transaction: every state change commits whole or
    /// not at all, and an `Err` from `work` rolls back. On SQLite the
    /// transaction takes the write lock up front (`BEGIN IMMEDIATE`), so
    /// concurrent writers queue on the busy timeout instead of failing when a
    /// read lock cannot be upgraded.
    pub fn transaction<T, E: From<PersistenceError>>(
        &self,
        work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        // Taken before the pool: a queued writer holds no connection.
        // Poisoning only means another writer panicked, after its rollback.
        let _writer = (self.backend == Backend::Sqlite)
            .then(|| self.sqlite_writer.lock().unwrap_or_else(|e| e.into_inner()));
        let mut pooled = self.checkout(None)?;
        let conn: &mut DbConnection = &mut pooled;
        if matches!(conn, DbConnection::Postgres(_)) {
            return conn
                .transaction(|conn| work(conn).map_err(Rollback::Work))
                .map_err(|rollback| match rollback {
                    Rollback::Work(error) => error,
                    Rollback::Database(error) => E::from(PersistenceError::from(error)),
                });
        }
        if let DbConnection::Sqlite(sqlite) = conn {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")
                .map_err(PersistenceError::from)?;
        }
        let result = work(conn);
        let DbConnection::Sqlite(sqlite) = conn else {
            return result;
        };
        match result {
            Ok(value) => {
                AnsiTransactionManager::commit_transaction(sqlite)
                    .map_err(PersistenceError::from)?;
                Ok(value)
            }
            Err(error) => {
                if let Err(rollback) = AnsiTransactionManager::rollback_transaction(sqlite) {
                    tracing::error!(%rollback, "rollback failed");
                }
                Err(error)
            }
        }
    }
}

/// Why a PostgreSQL transaction ended early: the work's own error, or the
/// database's (diesel needs the latter to be constructible).
enum Rollback<E> {
    Work(E),
    Database(diesel::result::Error),
}

impl<E> From<diesel::result::Error> for Rollback<E> {
    fn from(error: diesel::result::Error) -> Self {
        Rollback::Database(error)
    }
}
