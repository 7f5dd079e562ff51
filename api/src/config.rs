//! Configuration, read once at start-up from the environment (and nowhere else).

use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The development defaults: convenient on a laptop, refused in production.
const DEV_JWT_SECRET: &str = "development-only-jwt-secret-do-not-use-in-production";
const DEV_DATA_KEY: &str = "development-only-data-key-do-not-use-in-production";
const DEV_WEBHOOK_SECRET: &str = "development-only-webhook-secret-do-not-use-in-production";
const MIN_SECRET_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where mail goes: a directory of `.eml` files (development, tests) or an
/// SMTP relay.
#[derive(Clone)]
pub enum MailTransport {
    Directory(PathBuf),
    Smtp(SecretString),
}

impl fmt::Debug for MailTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MailTransport::Directory(path) => write!(f, "file:{}", path.display()),
            // The URL may carry relay credentials.
            MailTransport::Smtp(_) => f.write_str("smtp://…"),
        }
    }
}

/// Where attachments are kept: a local directory, or an S3-compatible bucket
/// (credentials, region and endpoint from the standard `AWS_*` variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentStore {
    Directory(PathBuf),
    S3 { url: String, aws: AwsSettings },
}

/// The standard `AWS_*` variables an S3 store is configured by, read through
/// the same lookup as every other setting (so a test server gets its own);
/// any other `AWS_*` variable of the process still applies underneath.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct AwsSettings(pub Vec<(&'static str, String)>);

impl AwsSettings {
    pub const NAMES: [&'static str; 7] = [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT",
        "AWS_ALLOW_HTTP",
    ];
}

/// Names only: the values include the secret key.
impl std::fmt::Debug for AwsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

/// The kinds of file an attachment may be, recognised from its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [FileKind::Pdf, FileKind::Png, FileKind::Jpeg, FileKind::Docx];

    pub fn name(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Docx => "docx",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

/// The "I'm not a robot" widgets the registration guide may show. All three
/// verify the same way: the widget's token, the secret and the client's
/// address posted as a form to the provider's siteverify URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HumanCheckProvider {
    Recaptcha,
    Hcaptcha,
    Turnstile,
}

impl HumanCheckProvider {
    pub const ALL: [HumanCheckProvider; 3] = [
        HumanCheckProvider::Recaptcha,
        HumanCheckProvider::Hcaptcha,
        HumanCheckProvider::Turnstile,
    ];

    /// As `KECS_HUMAN_CHECK` names it and `GET /auth/providers` serves it.
    pub fn name(self) -> &'static str {
        match self {
            HumanCheckProvider::Recaptcha => "recaptcha",
            HumanCheckProvider::Hcaptcha => "hcaptcha",
            HumanCheckProvider::Turnstile => "turnstile",
        }
    }

    /// The provider's public siteverify endpoint.
    pub fn verify_url(self) -> &'static str {
        match self {
            HumanCheckProvider::Recaptcha => "https://www.google.com/recaptcha/api/siteverify",
            HumanCheckProvider::Hcaptcha => "https://api.hcaptcha.com/siteverify",
            HumanCheckProvider::Turnstile => {
                "https://challenges.cloudflare.com/turnstile/v0/siteverify"
            }
        }
    }
}

/// The "I'm not a robot" check, when it is on.
#[derive(Debug, Clone)]
pub struct HumanCheckSettings {
    pub provider: HumanCheckProvider,
    /// Shared with the provider; sent only to `verify_url`.
    pub secret: SecretString,
    /// Public: the front end renders the widget with it.
    pub site_key: String,
    pub verify_url: String,
    /// How long one verification may take in all; past it the check fails
    /// (closed), so a slow provider cannot hold a worker thread.
    pub timeout: Duration,
}

/// An OpenID provider accounts may sign in with (`KECS_OIDC_PROVIDERS`).
#[derive(Debug, Clone)]
pub struct OidcProvider {
    /// In paths (`/auth/oidc/{id}/start`) and the audit log: `[a-z0-9]+`.
    pub id: String,
    /// Shown on the sign-in button, e.g. "Microsoft".
    pub name: String,
    /// Where `/.well-known/openid-configuration` is; Microsoft's
    /// multi-tenant issuers publish `{tenantid}` in theirs.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// Where the provider sends the browser back (the front end's page,
    /// which passes `code` and `state` to `/auth/oidc/{id}/callback`).
    pub redirect_url: String,
    /// Tenants (`tid`) accepted; empty accepts every tenant the issuer does.
    pub allowed_tenants: Vec<String>,
}

/// Microsoft's authority for a tenant setting: `common` (work, school and
/// personal accounts), `organizations` (work and school only), `consumers`
/// (personal only) or one tenant's id.
fn microsoft_issuer(tenant: &str) -> String {
    format!("https://login.microsoftonline.com/{tenant}/v2.0")
}

fn oidc_providers(
    lookup: &impl Fn(&str) -> Option<String>,
    public_url: &str,
    environment: Environment,
) -> Result<Vec<OidcProvider>, ConfigError> {
    let Some(list) = lookup("KECS_OIDC_PROVIDERS") else {
        return Ok(Vec::new());
    };
    let mut providers: Vec<OidcProvider> = Vec::new();
    for id in list.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        if id.len() > 32
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            return Err(ConfigError(format!(
                "KECS_OIDC_PROVIDERS: {id:?} must be 1 to 32 lower-case letters and digits"
            )));
        }
        if providers.iter().any(|p| p.id == id) {
            return Err(ConfigError(format!("KECS_OIDC_PROVIDERS names {id} twice")));
        }
        let var = |field: &str| format!("KECS_OIDC_{}_{field}", id.to_ascii_uppercase());
        let required = |field: &str| {
            lookup(&var(field)).ok_or_else(|| ConfigError(format!("{} must be set", var(field))))
        };
        let issuer = match (lookup(&var("ISSUER")), id) {
            (Some(issuer), _) => issuer,
            (None, "microsoft") => {
                let tenant = lookup(&var("TENANT")).unwrap_or_else(|| "organizations".to_owned());
                let valid = matches!(tenant.as_str(), "common" | "organizations" | "consumers")
                    || (tenant.len() == 36
                        && tenant.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
                if !valid {
                    return Err(ConfigError(format!(
                        "{} must be common, organizations, consumers or a tenant id",
                        var("TENANT")
                    )));
                }
                microsoft_issuer(&tenant)
            }
            (None, _) => return Err(ConfigError(format!("{} must be set", var("ISSUER")))),
        };
        let issuer = issuer.trim_end_matches('/').to_owned();
        let plain_in_development =
            issuer.starts_with("http://") && environment == Environment::Development;
        if !(issuer.starts_with("https://") || plain_in_development) {
            return Err(ConfigError(format!(
                "{} must be an https:// URL (http:// only in development)",
                var("ISSUER")
            )));
        }
        let redirect_url = lookup(&var("REDIRECT_URL"))
            .unwrap_or_else(|| format!("{public_url}/sign-in/{id}/callback"));
        if !(redirect_url.starts_with("https://") || redirect_url.starts_with("http://")) {
            return Err(ConfigError(format!(
                "{} must be a URL",
                var("REDIRECT_URL")
            )));
        }
        providers.push(OidcProvider {
            id: id.to_owned(),
            name: lookup(&var("NAME")).unwrap_or_else(|| match id {
                "microsoft" => "Microsoft".to_owned(),
                other => other.to_owned(),
            }),
            issuer,
            client_id: required("CLIENT_ID")?,
            client_secret: SecretString::from(required("CLIENT_SECRET")?),
            redirect_url,
            allowed_tenants: lookup(&var("ALLOWED_TENANTS"))
                .map(|raw| {
                    raw.split(',')
                        .map(|t| t.trim().to_owned())
                        .filter(|t| !t.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    Ok(providers)
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub database_url: String,
    pub db_pool_size: u32,
    pub bind: String,
    pub public_url: String,
    pub jwt_secret: SecretString,
    pub data_key: SecretString,
    /// Signs the payment gateway's webhooks (HMAC-SHA256).
    pub webhook_secret: SecretString,
    pub mail: MailTransport,
    pub mail_from: String,
    pub log_format: LogFormat,
    pub attachments: AttachmentStore,
    pub attachment_max_bytes: usize,
    pub attachment_types: Vec<FileKind>,
    /// Attachments one element may hold (`KECS_MAX_ATTACHMENTS_PER_ELEMENT`,
    /// default 20, 1–1000): a transcript or two, certificates, a license;
    /// twenty is generous for any element, and the cap keeps one account
    /// from filling the attachment store.
    pub max_attachments_per_element: u32,
    /// Applications one applicant may have open (not closed by a decision,
    /// an expiry or a withdrawal) at once (`KECS_MAX_OPEN_APPLICATIONS`,
    /// default 3, 1–100). The regulation sets no number; one application
    /// carries every request type asked for together, so three leaves room
    /// for one being reviewed, a renewal (Sec. 13) and one more, while
    /// keeping one account from crowding the review queue.
    pub max_open_applications: u32,
    /// How often each node runs the sweeper (expiry, reminders, upkeep).
    pub sweep_interval: Duration,
    /// How long stored bytes no attachment row refers to are left alone
    /// before the sweeper removes them (`KECS_ORPHAN_GRACE_SECS`, default
    /// 3600, 1–604800): longer than any upload takes between storing its
    /// bytes and recording its row.
    pub orphan_grace: Duration,
    /// How long a payment waits for confirmation before it is canceled.
    pub payment_ttl: Duration,
    /// How long a charge may stay `processing` (a node died between the
    /// gateway's answer and recording it) before the sweeper asks the
    /// gateway again and records its answer.
    pub payment_reconcile_after: Duration,
    /// How long a JSON body (and the webhook's) may take to arrive in full
    /// once the headers are in; an upload gets this plus time for its size
    /// (`http::extract::BodyDeadline`). Past it: 408 and the connection is
    /// closed, so slow senders cannot hold connections open.
    pub body_timeout: Duration,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// How many password hashes (argon2id, 19 MiB each) may run at once.
    pub password_hash_concurrency: usize,
    /// How long a request waits for a hashing slot before it is answered 503.
    pub password_hash_wait: Duration,
    /// `None` when the check is off (`KECS_HUMAN_CHECK=off`, or unset in
    /// development).
    pub human_check: Option<HumanCheckSettings>,
    /// OpenID providers to sign in with; none unless configured.
    pub oidc_providers: Vec<OidcProvider>,
    /// The bound on each request to a provider (discovery, keys, code
    /// exchange): a provider that hangs must not hold a worker.
    pub oidc_http_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads settings through `lookup`, so tests need not touch the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let environment = match lookup("KECS_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(ConfigError(format!(
                    "KECS_ENV must be development or production, not {other:?}"
                )));
            }
        };
        let bind = lookup("KECS_BIND").unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let public_url = lookup("KECS_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        let mail = match lookup("KECS_MAIL").as_deref().unwrap_or("file:./var/mail") {
            url if url.starts_with("smtp://") || url.starts_with("smtps://") => {
                MailTransport::Smtp(SecretString::from(url.to_owned()))
            }
            url => match url.strip_prefix("file:") {
                Some(path) => MailTransport::Directory(PathBuf::from(path)),
                None => {
                    return Err(ConfigError(
                        "KECS_MAIL must be file:<directory>, smtp://… or smtps://…".to_owned(),
                    ));
                }
            },
        };
        let db_pool_size = match lookup("KECS_DB_POOL_SIZE") {
            None => 8,
            Some(raw) => raw
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=256).contains(n))
                .ok_or_else(|| ConfigError("KECS_DB_POOL_SIZE must be 1 to 256".to_owned()))?,
        };
        let sweep_interval = match lookup("KECS_SWEEP_INTERVAL_SECS") {
            None => Duration::from_secs(60),
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=86_400).contains(n))
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    ConfigError("KECS_SWEEP_INTERVAL_SECS must be 1 to 86400".to_owned())
                })?,
        };
        let attachments = match lookup("KECS_ATTACHMENTS")
            .as_deref()
            .unwrap_or("file:./var/attachments")
        {
            url if url.starts_with("s3://") => AttachmentStore::S3 {
                url: url.to_owned(),
                aws: AwsSettings(
                    AwsSettings::NAMES
                        .into_iter()
                        .filter_map(|name| lookup(name).map(|value| (name, value)))
                        .collect(),
                ),
            },
            url => match url.strip_prefix("file:") {
                Some(path) => AttachmentStore::Directory(PathBuf::from(path)),
                None => {
                    return Err(ConfigError(
                        "KECS_ATTACHMENTS must be file:<directory> or s3://<bucket>".to_owned(),
                    ));
                }
            },
        };
        let attachment_max_bytes = match lookup("KECS_ATTACHMENT_MAX_BYTES") {
            None => 10 * 1024 * 1024,
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| (1024..=512 * 1024 * 1024).contains(n))
                .ok_or_else(|| {
                    ConfigError("KECS_ATTACHMENT_MAX_BYTES must be 1024 to 536870912".to_owned())
                })?,
        };
        let attachment_types = match lookup("KECS_ATTACHMENT_TYPES") {
            None => FileKind::ALL.to_vec(),
            Some(raw) => raw
                .split(',')
                .map(|name| {
                    FileKind::ALL
                        .into_iter()
                        .find(|kind| kind.name() == name.trim())
                        .ok_or_else(|| {
                            ConfigError(format!(
                                "KECS_ATTACHMENT_TYPES: {name:?} is not one of pdf, png, jpeg, docx"
                            ))
                        })
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        let cap = |name: &str, default: u32, max: u32| -> Result<u32, ConfigError> {
            match lookup(name) {
                None => Ok(default),
                Some(raw) => raw
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| ConfigError(format!("{name} must be 1 to {max}"))),
            }
        };
        let max_attachments_per_element = cap("KECS_MAX_ATTACHMENTS_PER_ELEMENT", 20, 1000)?;
        let max_open_applications = cap("KECS_MAX_OPEN_APPLICATIONS", 3, 100)?;
        let payment_ttl = match lookup("KECS_PAYMENT_TTL_SECS") {
            None => Duration::from_secs(30 * 60),
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|n| (60..=86_400).contains(n))
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    ConfigError("KECS_PAYMENT_TTL_SECS must be 60 to 86400".to_owned())
                })?,
        };
        let payment_reconcile_after = match lookup("KECS_PAYMENT_RECONCILE_SECS") {
            None => Duration::from_secs(120),
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=86_400).contains(n))
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    ConfigError("KECS_PAYMENT_RECONCILE_SECS must be 1 to 86400".to_owned())
                })?,
        };
        let orphan_grace = match lookup("KECS_ORPHAN_GRACE_SECS") {
            None => Duration::from_secs(3600),
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=604_800).contains(n))
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    ConfigError("KECS_ORPHAN_GRACE_SECS must be 1 to 604800".to_owned())
                })?,
        };
        let password_hash_concurrency = match lookup("KECS_PASSWORD_HASH_CONCURRENCY") {
            // One per core: argon2id is CPU-bound, more at once only queue
            // for the cores while each holds its memory.
            None => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .clamp(1, 64),
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .ok_or_else(|| {
                    ConfigError("KECS_PASSWORD_HASH_CONCURRENCY must be 1 to 64".to_owned())
                })?,
        };
        let password_hash_wait = match lookup("KECS_PASSWORD_HASH_WAIT_MS") {
            None => Duration::from_millis(2000),
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|n| (0..=30_000).contains(n))
                .map(Duration::from_millis)
                .ok_or_else(|| {
                    ConfigError("KECS_PASSWORD_HASH_WAIT_MS must be 0 to 30000".to_owned())
                })?,
        };
        let body_timeout = match lookup("KECS_BODY_TIMEOUT_SECS") {
            None => Duration::from_secs(10),
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=300).contains(n))
                .map(Duration::from_secs)
                .ok_or_else(|| ConfigError("KECS_BODY_TIMEOUT_SECS must be 1 to 300".to_owned()))?,
        };
        let oidc_http_timeout = match lookup("KECS_OIDC_HTTP_TIMEOUT_SECS") {
            None => Duration::from_secs(10),
            Some(raw) => raw
                .parse::<u64>()
                .ok()
                .filter(|n| (1..=60).contains(n))
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    ConfigError("KECS_OIDC_HTTP_TIMEOUT_SECS must be 1 to 60".to_owned())
                })?,
        };
        let oidc_providers = oidc_providers(&lookup, &public_url, environment)?;
        let log_format = match lookup("KECS_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError(format!(
                    "KECS_LOG_FORMAT must be text or json, not {other:?}"
                )));
            }
        };
        let secret = |name: &str, default: &str| -> Result<SecretString, ConfigError> {
            match lookup(name) {
                Some(value) if value.len() < MIN_SECRET_LEN => Err(ConfigError(format!(
                    "{name} must be at least {MIN_SECRET_LEN} characters"
                ))),
                Some(value) if value == default && environment == Environment::Production => {
                    Err(ConfigError(format!(
                        "{name} is the development default; set a real secret in production"
                    )))
                }
                Some(value) => Ok(SecretString::from(value)),
                None if environment == Environment::Production => Err(ConfigError(format!(
                    "{name} must be set in production (KECS_ENV=production)"
                ))),
                None => Ok(SecretString::from(default.to_owned())),
            }
        };
        let config = Config {
            environment,
            database_url: lookup("DATABASE_URL").unwrap_or_else(|| "./var/kecs.db".to_owned()),
            db_pool_size,
            bind,
            public_url,
            jwt_secret: secret("KECS_JWT_SECRET", DEV_JWT_SECRET)?,
            data_key: secret("KECS_DATA_KEY", DEV_DATA_KEY)?,
            webhook_secret: secret("KECS_WEBHOOK_SECRET", DEV_WEBHOOK_SECRET)?,
            mail,
            mail_from: lookup("KECS_MAIL_FROM").unwrap_or_else(|| {
                "Kentucky Trainer Credentialing <no-reply@kecs.localhost>".to_owned()
            }),
            log_format,
            attachments,
            attachment_max_bytes,
            attachment_types,
            max_attachments_per_element,
            max_open_applications,
            sweep_interval,
            payment_ttl,
            payment_reconcile_after,
            orphan_grace,
            body_timeout,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(14 * 24 * 3600),
            password_hash_concurrency,
            password_hash_wait,
            // After the secrets, so a missing secret is reported first.
            human_check: human_check(&lookup, environment)?,
            oidc_providers,
            oidc_http_timeout,
        };
        if config.environment == Environment::Production
            && config.jwt_secret.expose_secret() == config.data_key.expose_secret()
        {
            return Err(ConfigError(
                "KECS_JWT_SECRET and KECS_DATA_KEY must differ".to_owned(),
            ));
        }
        Ok(config)
    }
}

/// `KECS_HUMAN_CHECK` and its settings. Off by default in development; in
/// production it must be chosen, `off` included, so that running a public
/// registration without the check is a decision and never an omission.
fn human_check(
    lookup: &impl Fn(&str) -> Option<String>,
    environment: Environment,
) -> Result<Option<HumanCheckSettings>, ConfigError> {
    let provider = match lookup("KECS_HUMAN_CHECK").as_deref() {
        None if environment == Environment::Production => {
            return Err(ConfigError(
                "KECS_HUMAN_CHECK must be set in production (KECS_ENV=production): recaptcha, \
                 hcaptcha or turnstile, with KECS_HUMAN_CHECK_SECRET and \
                 KECS_HUMAN_CHECK_SITE_KEY; or off to run registration without the check"
                    .to_owned(),
            ));
        }
        None | Some("off") => return Ok(None),
        Some(name) => HumanCheckProvider::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| {
                ConfigError(format!(
                    "KECS_HUMAN_CHECK must be recaptcha, hcaptcha, turnstile or off, not {name:?}"
                ))
            })?,
    };
    let required = |name: &str| {
        lookup(name).ok_or_else(|| {
            ConfigError(format!(
                "{name} must be set when KECS_HUMAN_CHECK={}",
                provider.name()
            ))
        })
    };
    let secret = SecretString::from(required("KECS_HUMAN_CHECK_SECRET")?);
    let site_key = required("KECS_HUMAN_CHECK_SITE_KEY")?;
    let verify_url =
        lookup("KECS_HUMAN_CHECK_VERIFY_URL").unwrap_or_else(|| provider.verify_url().to_owned());
    if !(verify_url.starts_with("https://") || verify_url.starts_with("http://")) {
        return Err(ConfigError(
            "KECS_HUMAN_CHECK_VERIFY_URL must be an http:// or https:// URL".to_owned(),
        ));
    }
    // The secret is posted to it.
    if environment == Environment::Production && !verify_url.starts_with("https://") {
        return Err(ConfigError(
            "KECS_HUMAN_CHECK_VERIFY_URL must be https:// in production".to_owned(),
        ));
    }
    let timeout = match lookup("KECS_HUMAN_CHECK_TIMEOUT_MS") {
        None => Duration::from_millis(3000),
        Some(raw) => raw
            .parse::<u64>()
            .ok()
            .filter(|n| (100..=30_000).contains(n))
            .map(Duration::from_millis)
            .ok_or_else(|| {
                ConfigError("KECS_HUMAN_CHECK_TIMEOUT_MS must be 100 to 30000".to_owned())
            })?,
    };
    Ok(Some(HumanCheckSettings {
        provider,
        secret,
        site_key,
        verify_url,
        timeout,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn runs_with_nothing_set() {
        let config = config(&[]).unwrap();
        assert_eq!(config.bind, "127.0.0.1:8080");
        assert_eq!(config.database_url, "./var/kecs.db");
        assert!(matches!(config.mail, MailTransport::Directory(_)));
    }

    #[test]
    fn production_refuses_missing_and_default_secrets() {
        assert!(config(&[("KECS_ENV", "production")]).is_err());
        let err = config(&[
            ("KECS_ENV", "production"),
            ("KECS_JWT_SECRET", DEV_JWT_SECRET),
            ("KECS_DATA_KEY", "a-real-data-key-with-enough-length-1234"),
        ])
        .unwrap_err();
        assert!(err.0.contains("KECS_JWT_SECRET"));
        assert!(
            config(&[
                ("KECS_ENV", "production"),
                (
                    "KECS_JWT_SECRET",
                    "a-real-jwt-secret-with-enough-length-1234"
                ),
                ("KECS_DATA_KEY", "a-real-data-key-with-enough-length-1234"),
                (
                    "KECS_WEBHOOK_SECRET",
                    "a-real-webhook-secret-with-enough-length"
                ),
                ("KECS_HUMAN_CHECK", "off"),
            ])
            .is_ok()
        );
    }

    const PRODUCTION_SECRETS: [(&str, &str); 4] = [
        ("KECS_ENV", "production"),
        (
            "KECS_JWT_SECRET",
            "a-real-jwt-secret-with-enough-length-1234",
        ),
        ("KECS_DATA_KEY", "a-real-data-key-with-enough-length-1234"),
        (
            "KECS_WEBHOOK_SECRET",
            "a-real-webhook-secret-with-enough-length",
        ),
    ];

    #[test]
    fn the_human_check_is_off_in_development_unless_chosen() {
        assert!(config(&[]).unwrap().human_check.is_none());
        assert!(
            config(&[("KECS_HUMAN_CHECK", "off")])
                .unwrap()
                .human_check
                .is_none()
        );
        for provider in HumanCheckProvider::ALL {
            let check = config(&[
                ("KECS_HUMAN_CHECK", provider.name()),
                ("KECS_HUMAN_CHECK_SECRET", "the-secret"),
                ("KECS_HUMAN_CHECK_SITE_KEY", "the-site-key"),
            ])
            .unwrap()
            .human_check
            .unwrap();
            assert_eq!(check.provider, provider);
            assert_eq!(check.verify_url, provider.verify_url());
            assert!(check.verify_url.starts_with("https://"));
            assert_eq!(check.site_key, "the-site-key");
            assert_eq!(check.secret.expose_secret(), "the-secret");
            assert_eq!(check.timeout, Duration::from_millis(3000));
        }
        let set = config(&[
            ("KECS_HUMAN_CHECK", "turnstile"),
            ("KECS_HUMAN_CHECK_SECRET", "s"),
            ("KECS_HUMAN_CHECK_SITE_KEY", "k"),
            ("KECS_HUMAN_CHECK_VERIFY_URL", "http://127.0.0.1:9/verify"),
            ("KECS_HUMAN_CHECK_TIMEOUT_MS", "100"),
        ])
        .unwrap()
        .human_check
        .unwrap();
        assert_eq!(set.verify_url, "http://127.0.0.1:9/verify");
        assert_eq!(set.timeout, Duration::from_millis(100));
    }

    #[test]
    fn the_human_check_refuses_incomplete_or_unknown_settings() {
        let on = [
            ("KECS_HUMAN_CHECK", "recaptcha"),
            ("KECS_HUMAN_CHECK_SECRET", "s"),
            ("KECS_HUMAN_CHECK_SITE_KEY", "k"),
        ];
        for (name, value) in [
            ("KECS_HUMAN_CHECK", "captcha"),
            ("KECS_HUMAN_CHECK_VERIFY_URL", "ftp://verify"),
            ("KECS_HUMAN_CHECK_TIMEOUT_MS", "99"),
            ("KECS_HUMAN_CHECK_TIMEOUT_MS", "30001"),
            ("KECS_HUMAN_CHECK_TIMEOUT_MS", "soon"),
        ] {
            let mut vars = on.to_vec();
            vars.push((name, value));
            let err = config(&vars).unwrap_err();
            assert!(err.0.contains(name), "{name}={value}: {err}");
        }
        for missing in ["KECS_HUMAN_CHECK_SECRET", "KECS_HUMAN_CHECK_SITE_KEY"] {
            let vars: Vec<_> = on.into_iter().filter(|(n, _)| *n != missing).collect();
            let err = config(&vars).unwrap_err();
            assert!(err.0.contains(missing), "{err}");
        }
    }

    #[test]
    fn production_refuses_to_start_unless_the_human_check_is_chosen() {
        let err = config(&PRODUCTION_SECRETS).unwrap_err();
        assert!(
            err.0.contains("KECS_HUMAN_CHECK must be set in production") && err.0.contains("off"),
            "{err}"
        );
        let mut off = PRODUCTION_SECRETS.to_vec();
        off.push(("KECS_HUMAN_CHECK", "off"));
        assert!(config(&off).unwrap().human_check.is_none());
        let mut on = PRODUCTION_SECRETS.to_vec();
        on.extend([
            ("KECS_HUMAN_CHECK", "hcaptcha"),
            ("KECS_HUMAN_CHECK_SECRET", "s"),
            ("KECS_HUMAN_CHECK_SITE_KEY", "k"),
        ]);
        assert_eq!(
            config(&on).unwrap().human_check.unwrap().provider,
            HumanCheckProvider::Hcaptcha
        );
        on.push((
            "KECS_HUMAN_CHECK_VERIFY_URL",
            "http://verify.example/siteverify",
        ));
        let err = config(&on).unwrap_err();
        assert!(err.0.contains("https://"), "{err}");
    }

    #[test]
    fn the_orphan_grace_is_configurable_within_bounds() {
        assert_eq!(config(&[]).unwrap().orphan_grace, Duration::from_secs(3600));
        assert_eq!(
            config(&[("KECS_ORPHAN_GRACE_SECS", "5")])
                .unwrap()
                .orphan_grace,
            Duration::from_secs(5)
        );
        for raw in ["0", "604801", "-1", "soon"] {
            let err = config(&[("KECS_ORPHAN_GRACE_SECS", raw)]).unwrap_err();
            assert!(err.0.contains("KECS_ORPHAN_GRACE_SECS"), "{raw}: {err}");
        }
    }

    #[test]
    fn an_s3_store_takes_its_aws_settings_from_the_lookup_and_never_shows_the_secret() {
        let configured = config(&[
            ("KECS_ATTACHMENTS", "s3://kecs-files/prod"),
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI-hunter2"),
            ("AWS_ENDPOINT", "http://127.0.0.1:9000"),
        ])
        .unwrap();
        let AttachmentStore::S3 { url, aws } = &configured.attachments else {
            panic!("not S3: {:?}", configured.attachments);
        };
        assert_eq!(url, "s3://kecs-files/prod");
        assert!(
            aws.0
                .contains(&("AWS_ENDPOINT", "http://127.0.0.1:9000".to_owned()))
        );
        assert_eq!(aws.0.len(), 3);
        let shown = format!("{configured:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn the_body_timeout_is_configurable_within_bounds() {
        assert_eq!(config(&[]).unwrap().body_timeout, Duration::from_secs(10));
        for (raw, secs) in [("1", 1), ("2", 2), ("300", 300)] {
            assert_eq!(
                config(&[("KECS_BODY_TIMEOUT_SECS", raw)])
                    .unwrap()
                    .body_timeout,
                Duration::from_secs(secs)
            );
        }
        for raw in ["0", "301", "-1", "ten", "1.5"] {
            let err = config(&[("KECS_BODY_TIMEOUT_SECS", raw)]).unwrap_err();
            assert!(err.0.contains("KECS_BODY_TIMEOUT_SECS"), "{raw}");
        }
    }

    #[test]
    fn the_payment_time_to_live_is_configurable_within_bounds() {
        assert_eq!(config(&[]).unwrap().payment_ttl, Duration::from_secs(1800));
        assert_eq!(
            config(&[("KECS_PAYMENT_TTL_SECS", "600")])
                .unwrap()
                .payment_ttl,
            Duration::from_secs(600)
        );
        assert!(config(&[("KECS_PAYMENT_TTL_SECS", "5")]).is_err());
        assert_eq!(
            config(&[]).unwrap().payment_reconcile_after,
            Duration::from_secs(120)
        );
        assert!(config(&[("KECS_PAYMENT_RECONCILE_SECS", "0")]).is_err());
    }

    #[test]
    fn password_hashing_is_bounded_within_limits() {
        let defaults = config(&[]).unwrap();
        assert!((1..=64).contains(&defaults.password_hash_concurrency));
        assert_eq!(defaults.password_hash_wait, Duration::from_millis(2000));
        let set = config(&[
            ("KECS_PASSWORD_HASH_CONCURRENCY", "3"),
            ("KECS_PASSWORD_HASH_WAIT_MS", "0"),
        ])
        .unwrap();
        assert_eq!(set.password_hash_concurrency, 3);
        assert_eq!(set.password_hash_wait, Duration::ZERO);
        for (name, value) in [
            ("KECS_PASSWORD_HASH_CONCURRENCY", "0"),
            ("KECS_PASSWORD_HASH_CONCURRENCY", "65"),
            ("KECS_PASSWORD_HASH_CONCURRENCY", "many"),
            ("KECS_PASSWORD_HASH_WAIT_MS", "30001"),
            ("KECS_PASSWORD_HASH_WAIT_MS", "-1"),
        ] {
            assert!(config(&[(name, value)]).is_err(), "{name}={value}");
        }
    }

    #[test]
    fn the_caps_are_configurable_within_bounds() {
        let defaults = config(&[]).unwrap();
        assert_eq!(defaults.max_attachments_per_element, 20);
        assert_eq!(defaults.max_open_applications, 3);
        let set = config(&[
            ("KECS_MAX_ATTACHMENTS_PER_ELEMENT", "1000"),
            ("KECS_MAX_OPEN_APPLICATIONS", "1"),
        ])
        .unwrap();
        assert_eq!(set.max_attachments_per_element, 1000);
        assert_eq!(set.max_open_applications, 1);
        for (name, raw) in [
            ("KECS_MAX_ATTACHMENTS_PER_ELEMENT", "0"),
            ("KECS_MAX_ATTACHMENTS_PER_ELEMENT", "1001"),
            ("KECS_MAX_ATTACHMENTS_PER_ELEMENT", "many"),
            ("KECS_MAX_OPEN_APPLICATIONS", "0"),
            ("KECS_MAX_OPEN_APPLICATIONS", "101"),
            ("KECS_MAX_OPEN_APPLICATIONS", "-1"),
        ] {
            let err = config(&[(name, raw)]).unwrap_err();
            assert!(err.0.contains(name), "{name}={raw}: {err}");
        }
    }

    #[test]
    fn no_openid_provider_unless_configured() {
        let defaults = config(&[]).unwrap();
        assert!(defaults.oidc_providers.is_empty());
        assert_eq!(defaults.oidc_http_timeout, Duration::from_secs(10));
    }

    #[test]
    fn openid_providers_are_read_per_id() {
        let set = config(&[
            ("KECS_OIDC_PROVIDERS", "microsoft, local"),
            ("KECS_OIDC_MICROSOFT_TENANT", "common"),
            ("KECS_OIDC_MICROSOFT_CLIENT_ID", "ms-client"),
            ("KECS_OIDC_MICROSOFT_CLIENT_SECRET", "ms-secret"),
            ("KECS_OIDC_MICROSOFT_ALLOWED_TENANTS", "a, b"),
            ("KECS_OIDC_LOCAL_ISSUER", "http://127.0.0.1:9400/"),
            ("KECS_OIDC_LOCAL_CLIENT_ID", "local-client"),
            ("KECS_OIDC_LOCAL_CLIENT_SECRET", "local-secret"),
            ("KECS_OIDC_LOCAL_REDIRECT_URL", "https://front.test/cb"),
            ("KECS_OIDC_LOCAL_NAME", "Local provider"),
            ("KECS_OIDC_HTTP_TIMEOUT_SECS", "3"),
        ])
        .unwrap();
        let [microsoft, local] = set.oidc_providers.as_slice() else {
            panic!("two providers expected: {:?}", set.oidc_providers);
        };
        assert_eq!(microsoft.id, "microsoft");
        assert_eq!(microsoft.name, "Microsoft");
        assert_eq!(
            microsoft.issuer,
            "https://login.microsoftonline.com/common/v2.0"
        );
        assert_eq!(microsoft.allowed_tenants, ["a", "b"]);
        assert_eq!(
            microsoft.redirect_url,
            "http://127.0.0.1:8080/sign-in/microsoft/callback"
        );
        assert_eq!(local.issuer, "http://127.0.0.1:9400");
        assert_eq!(local.redirect_url, "https://front.test/cb");
        assert_eq!(local.name, "Local provider");
        assert_eq!(set.oidc_http_timeout, Duration::from_secs(3));
        let microsoft_default = config(&[
            ("KECS_OIDC_PROVIDERS", "microsoft"),
            ("KECS_OIDC_MICROSOFT_CLIENT_ID", "c"),
            ("KECS_OIDC_MICROSOFT_CLIENT_SECRET", "s"),
        ])
        .unwrap();
        assert_eq!(
            microsoft_default.oidc_providers[0].issuer,
            "https://login.microsoftonline.com/organizations/v2.0"
        );
    }

    #[test]
    fn openid_providers_refuse_what_is_missing_or_wrong() {
        let full = |extra: &[(&'static str, &'static str)]| {
            let mut vars = vec![
                ("KECS_OIDC_PROVIDERS", "local"),
                ("KECS_OIDC_LOCAL_ISSUER", "https://id.example"),
                ("KECS_OIDC_LOCAL_CLIENT_ID", "c"),
                ("KECS_OIDC_LOCAL_CLIENT_SECRET", "s"),
            ];
            vars.extend_from_slice(extra);
            config(&vars)
        };
        assert!(full(&[]).is_ok());
        for (name, value) in [
            ("KECS_OIDC_PROVIDERS", "Local"),
            ("KECS_OIDC_PROVIDERS", "local,local"),
            ("KECS_OIDC_PROVIDERS", "lo-cal"),
            ("KECS_OIDC_LOCAL_ISSUER", "ftp://id.example"),
            ("KECS_OIDC_LOCAL_REDIRECT_URL", "/relative"),
            ("KECS_OIDC_HTTP_TIMEOUT_SECS", "0"),
            ("KECS_OIDC_HTTP_TIMEOUT_SECS", "61"),
        ] {
            assert!(full(&[(name, value)]).is_err(), "{name}={value}");
        }
        assert!(config(&[("KECS_OIDC_PROVIDERS", "local")]).is_err());
        assert!(
            config(&[
                ("KECS_OIDC_PROVIDERS", "microsoft"),
                ("KECS_OIDC_MICROSOFT_TENANT", "everyone"),
                ("KECS_OIDC_MICROSOFT_CLIENT_ID", "c"),
                ("KECS_OIDC_MICROSOFT_CLIENT_SECRET", "s"),
            ])
            .is_err()
        );
        let production = [
            ("KECS_ENV", "production"),
            (
                "KECS_JWT_SECRET",
                "a-real-jwt-secret-with-enough-length-1234",
            ),
            ("KECS_DATA_KEY", "a-real-data-key-with-enough-length-1234"),
            (
                "KECS_WEBHOOK_SECRET",
                "a-real-webhook-secret-with-enough-length",
            ),
            ("KECS_OIDC_PROVIDERS", "local"),
            ("KECS_OIDC_LOCAL_ISSUER", "http://id.example"),
            ("KECS_OIDC_LOCAL_CLIENT_ID", "c"),
            ("KECS_OIDC_LOCAL_CLIENT_SECRET", "s"),
        ];
        assert!(config(&production).is_err(), "plain http in production");
    }

    #[test]
    fn refuses_short_secrets_and_unknown_values() {
        assert!(config(&[("KECS_JWT_SECRET", "short")]).is_err());
        assert!(config(&[("KECS_ENV", "staging")]).is_err());
        assert!(config(&[("KECS_MAIL", "ftp://x")]).is_err());
    }

    #[test]
    fn never_prints_secrets() {
        let config = config(&[
            ("KECS_MAIL", "smtp://user:hunter2@relay:25"),
            ("KECS_HUMAN_CHECK", "recaptcha"),
            ("KECS_HUMAN_CHECK_SECRET", "captcha-secret-42"),
            ("KECS_HUMAN_CHECK_SITE_KEY", "k"),
        ])
        .unwrap();
        let shown = format!("{config:?}");
        assert!(!shown.contains(DEV_JWT_SECRET) && !shown.contains("hunter2"));
        assert!(!shown.contains("captcha-secret-42"));
    }
}
