//! Black-box tests of the kecs API over HTTP, each on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod applications;
mod attachments;
mod bad_input;
mod contract;
mod credentials;
mod dashboard;
mod decisions_visible;
mod deficiencies;
mod deficient;
mod eligibility;
mod expiry;
mod guide_walk;
mod hardening_auth;
mod hardening_http;
mod hardening_walls;
mod human_check;
mod migrations;
mod notifications;
mod oidc;
mod oidc_id_token;
mod ops;
mod orphans;
mod payments;
mod profile;
mod register_search;
mod registration;
mod review;
mod s3_storage;
mod sessions;
mod support;
mod training_certificates;
mod training_events;
mod training_records;
mod webhooks_refunds;
