//! Signing in with an OpenID provider (Sign in with Microsoft): the
//! authorization code flow with PKCE, `state` and `nonce`, through the
//! `openidconnect` crate.
//!
//! API nodes keep nothing in memory between requests, so a sign-in started
//! on one node is finished on whichever takes the callback: the pending
//! sign-in (nonce, PKCE verifier, what it is for) is a row that lives ten
//! minutes and is used up exactly once (`repo::oidc_pending`), before any
//! call to the provider, so a replayed callback fails everywhere.
//!
//! An identity is matched by its (issuer, subject), never by email: a linked
//! one signs in to its account; one not linked gets a registration token,
//! and the account search and claim or a new account link it, so each
//! person still has one account.

use super::RequestContext;
use super::record::record;
use super::sessions::{self, Session};
use super::tokens::VerifiedIdentity;
use crate::config::{Config, OidcProvider};
use crate::workflows::crypto::token_hash;
use crate::workflows::{Ports, WorkflowError, WorkflowResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use kecs_domain::DomainError;
use kecs_domain::account::check_tenant_issuer;
use kecs_persistence::repo::accounts;
use kecs_persistence::repo::external_identities::{self, ExternalIdentity};
use kecs_persistence::repo::oidc_pending::{self, Pending, PendingPurpose};
use kecs_persistence::{DbConnection, PersistenceError};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreJsonWebKeySet, CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How long a started sign-in waits for its callback.
pub const PENDING_TTL: Duration = Duration::minutes(10);
/// How long an identity not linked yet may take to register or claim.
const REGISTRATION_TOKEN_TTL_SECS: i64 = 30 * 60;
/// Discovery and keys are fetched at first use and kept this long per
/// process; a node that restarts, or another node, fetches its own.
const METADATA_TTL: std::time::Duration = std::time::Duration::from_secs(3600);
/// A provider's answers are small; more is not a provider's answer.
const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

/// The HTTP client the provider is reached through, every request bounded
/// by `KECS_OIDC_HTTP_TIMEOUT_SECS` and never following redirects (the
/// token endpoint answers directly; a redirect there would carry the code
/// and secret elsewhere).
pub struct ProviderClients {
    agent: ureq::Agent,
    metadata: Mutex<HashMap<String, (Instant, Arc<CoreProviderMetadata>)>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

struct Http<'a>(&'a ureq::Agent);

impl openidconnect::SyncHttpClient for Http<'_> {
    type Error = HttpError;

    fn call(
        &self,
        request: openidconnect::HttpRequest,
    ) -> Result<openidconnect::HttpResponse, HttpError> {
        let response = self.0.run(request).map_err(|e| HttpError(e.to_string()))?;
        let (parts, mut body) = response.into_parts();
        let bytes = body
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(|e| HttpError(e.to_string()))?;
        Ok(openidconnect::http::Response::from_parts(parts, bytes))
    }
}

fn unreachable_provider(error: impl std::fmt::Display) -> WorkflowError {
    WorkflowError::Unavailable(
        format!("the identity provider could not be reached: {error}").into(),
    )
}

impl ProviderClients {
    pub fn new(config: &Config) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.oidc_http_timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Self {
            agent,
            metadata: Mutex::new(HashMap::new()),
        }
    }

    fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> WorkflowResult<T> {
        let mut response = self.agent.get(url).call().map_err(unreachable_provider)?;
        if response.status() != 200 {
            return Err(unreachable_provider(format!(
                "{url} answered {}",
                response.status()
            )));
        }
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(unreachable_provider)?;
        serde_json::from_slice(&bytes).map_err(|e| unreachable_provider(format!("{url}: {e}")))
    }

    /// The provider's metadata with its keys, fetched at first use.
    fn metadata(&self, provider: &OidcProvider) -> WorkflowResult<Arc<CoreProviderMetadata>> {
        if let Ok(cache) = self.metadata.lock()
            && let Some((fetched, metadata)) = cache.get(&provider.id)
            && fetched.elapsed() < METADATA_TTL
        {
            return Ok(Arc::clone(metadata));
        }
        let discovered: CoreProviderMetadata = self.get_json(&format!(
            "{}/.well-known/openid-configuration",
            provider.issuer
        ))?;
        let published = discovered.issuer().as_str().trim_end_matches('/');
        // Microsoft's multi-tenant and `consumers` authorities publish
        // another issuer than the URL they are reached at; their ID tokens
        // are checked against the published one (`check_tenant_issuer`).
        if published != provider.issuer && !is_microsoft_authority(&provider.issuer) {
            return Err(WorkflowError::internal(format!(
                "the provider {} publishes issuer {published}, not {}",
                provider.id, provider.issuer
            )));
        }
        let keys: CoreJsonWebKeySet = self.get_json(discovered.jwks_uri().as_str())?;
        let metadata = Arc::new(discovered.set_jwks(keys));
        if let Ok(mut cache) = self.metadata.lock() {
            cache.insert(provider.id.clone(), (Instant::now(), Arc::clone(&metadata)));
        }
        Ok(metadata)
    }

    /// Forgets a provider's keys, so the next sign-in fetches them anew (a
    /// token signed with a key published since).
    fn forget(&self, provider: &str) {
        if let Ok(mut cache) = self.metadata.lock() {
            cache.remove(provider);
        }
    }
}

fn is_microsoft_authority(issuer: &str) -> bool {
    issuer.starts_with("https://login.microsoftonline.com/")
}

fn provider<'a>(state: &'a Ports, id: &str) -> WorkflowResult<&'a OidcProvider> {
    state
        .config
        .oidc_providers
        .iter()
        .find(|p| p.id == id)
        .ok_or(WorkflowError::NotFound)
}

/// Where the front end goes once signed in: a path of its own, never
/// another site (an open redirect).
pub fn parse_return_to(raw: Option<&str>) -> WorkflowResult<Option<String>> {
    match raw {
        None | Some("") => Ok(None),
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.len() <= 512 =>
        {
            Ok(Some(path.to_owned()))
        }
        Some(_) => Err(WorkflowError::field(
            "return_to",
            "must be a path of this site starting with / (at most 512 characters)",
        )),
    }
}

/// The provider's authorization URL for a new sign-in.
#[derive(Debug, Clone)]
pub struct Started {
    pub authorization_url: String,
    pub expires_in: i64,
}

fn begin(
    state: &Ports,
    ctx: &RequestContext,
    provider_id: &str,
    purpose: PendingPurpose,
    return_to: Option<String>,
) -> WorkflowResult<Started> {
    let provider = provider(state, provider_id)?;
    let metadata = state.oidc.metadata(provider)?;
    let client = client(provider, &metadata)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let pending = Pending {
        provider: provider.id.clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        purpose,
        return_to,
        expires_at: ctx.now + PENDING_TTL,
    };
    state.db.transaction(|conn| {
        oidc_pending::insert(conn, &token_hash(csrf.secret()), &pending, ctx.now)
    })?;
    Ok(Started {
        authorization_url: url.to_string(),
        expires_in: PENDING_TTL.num_seconds(),
    })
}

type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

fn client(provider: &OidcProvider, metadata: &CoreProviderMetadata) -> WorkflowResult<Client> {
    let redirect =
        RedirectUrl::new(provider.redirect_url.clone()).map_err(WorkflowError::internal)?;
    Ok(CoreClient::from_provider_metadata(
        metadata.clone(),
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(
            provider.client_secret.expose_secret().to_owned(),
        )),
    )
    .set_redirect_uri(redirect))
}

/// Starts signing in with `provider`.
pub fn start(
    state: &Ports,
    ctx: &RequestContext,
    provider_id: &str,
    return_to: Option<String>,
) -> WorkflowResult<Started> {
    begin(state, ctx, provider_id, PendingPurpose::SignIn, return_to)
}

/// Starts linking an identity at `provider` to the signed-in account; the
/// same callback finishes it.
pub fn start_link(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    provider_id: &str,
    return_to: Option<String>,
) -> WorkflowResult<Started> {
    begin(
        state,
        ctx,
        provider_id,
        PendingPurpose::Link {
            account_id: account_id.to_owned(),
        },
        return_to,
    )
}

/// What the provider sent the browser back with.
#[derive(Debug, Clone, Default)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// An identity linked to an account, as its holder sees it.
#[derive(Debug, Clone)]
pub struct LinkedIdentity {
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    pub linked_at: chrono::NaiveDateTime,
}

impl From<ExternalIdentity> for LinkedIdentity {
    fn from(identity: ExternalIdentity) -> Self {
        Self {
            provider: identity.provider,
            issuer: identity.issuer,
            subject: identity.subject,
            linked_at: identity.linked_at,
        }
    }
}

/// How a callback ended.
#[derive(Debug)]
pub enum Outcome {
    /// A linked identity: the same session as `/auth/login` gives.
    SignedIn {
        session: Box<Session>,
        return_to: Option<String>,
    },
    /// An identity no account has: register (search and claim, or a new
    /// account) with this token, and it is linked.
    RegistrationRequired {
        registration_token: String,
        expires_in: i64,
        email: Option<String>,
        name: Option<String>,
        return_to: Option<String>,
    },
    /// Linked to the signed-in account that started it.
    Linked {
        identity: LinkedIdentity,
        return_to: Option<String>,
    },
}

/// What the ID token said, once every check passed.
struct Vouched {
    identity: VerifiedIdentity,
    email: Option<String>,
    name: Option<String>,
}

/// Finishes a sign-in or a link: uses up the pending sign-in, exchanges the
/// code (with the PKCE verifier), verifies the ID token (signature with the
/// provider's keys, issuer, audience, expiry, nonce, tenant) and signs in,
/// links, or hands out a registration token.
pub fn callback(
    state: &Ports,
    ctx: &RequestContext,
    provider_id: &str,
    callback: Callback,
) -> WorkflowResult<Outcome> {
    let provider = provider(state, provider_id)?;
    let refusal = callback.error.map(|error| {
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect();
        WorkflowError::from(DomainError::ProviderRefused(error))
    });
    let Some(state_param) = callback.state.filter(|s| !s.is_empty()) else {
        // Some providers send a refusal without the state; it changes
        // nothing here, so it is told as what it is.
        return Err(refusal.unwrap_or_else(|| DomainError::SignInExpired.into()));
    };
    let pending = state
        .db
        .transaction(|conn| {
            oidc_pending::consume(conn, &token_hash(&state_param), &provider.id, ctx.now)
        })?
        .ok_or_else(|| WorkflowError::from(DomainError::SignInExpired))?;
    if let Some(refusal) = refusal {
        return Err(refusal);
    }
    let code = callback
        .code
        .filter(|c| !c.is_empty())
        .ok_or_else(|| WorkflowError::field("code", "is required"))?;
    let vouched = exchange(state, provider, &pending, code)?;
    let return_to = pending.return_to.clone();
    match pending.purpose {
        PendingPurpose::SignIn => {
            state.change(|conn| sign_in(conn, state, ctx, provider, vouched, return_to))
        }
        PendingPurpose::Link { account_id } => state.change(|conn| {
            let identity = link(conn, ctx, &account_id, &vouched.identity)?;
            Ok(Outcome::Linked {
                identity: identity.into(),
                return_to,
            })
        }),
    }
}

fn exchange(
    state: &Ports,
    provider: &OidcProvider,
    pending: &Pending,
    code: String,
) -> WorkflowResult<Vouched> {
    let metadata = state.oidc.metadata(provider)?;
    let client = client(provider, &metadata)?;
    let http = Http(&state.oidc.agent);
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(WorkflowError::internal)?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request(&http)
        .map_err(|e| match e {
            RequestTokenError::Request(e) => unreachable_provider(e),
            RequestTokenError::ServerResponse(_) => DomainError::CodeExchangeFailed.into(),
            RequestTokenError::Parse(..) | RequestTokenError::Other(_) => {
                DomainError::CodeExchangeFailed.into()
            }
        })?;
    let id_token = response
        .id_token()
        .ok_or_else(|| DomainError::IdTokenInvalid("the provider sent none".to_owned()))?;
    // The issuer is checked below, against the token's own tenant where the
    // provider publishes `{tenantid}`.
    let verifier = client.id_token_verifier().require_issuer_match(false);
    let nonce = Nonce::new(pending.nonce.clone());
    let claims = match id_token.claims(&verifier, &nonce) {
        Ok(claims) => claims,
        Err(error) => {
            if matches!(
                error,
                openidconnect::ClaimsVerificationError::SignatureVerification(_)
            ) {
                state.oidc.forget(&provider.id);
            }
            return Err(DomainError::IdTokenInvalid(why_invalid(&error).to_owned()).into());
        }
    };
    let tid = tenant_of(&id_token.to_string());
    check_tenant_issuer(
        metadata.issuer().as_str(),
        claims.issuer().as_str(),
        tid.as_deref(),
        &provider.allowed_tenants,
    )
    .map_err(|why| DomainError::IdTokenInvalid(why.to_owned()))?;
    Ok(Vouched {
        identity: VerifiedIdentity {
            provider: provider.id.clone(),
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
        },
        email: claims.email().map(|e| e.as_str().to_owned()),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned()),
    })
}

/// Which check an ID token failed, in words for the person signing in.
fn why_invalid(error: &openidconnect::ClaimsVerificationError) -> &'static str {
    use openidconnect::ClaimsVerificationError as E;
    match error {
        E::Expired(_) => "it has expired",
        E::InvalidAudience(_) => "it is meant for another client",
        E::InvalidIssuer(_) => "the issuer is not the provider's",
        E::InvalidNonce(_) => "the nonce is not this sign-in's",
        E::SignatureVerification(_) => "its signature does not verify with the provider's keys",
        E::InvalidSubject(_) => "it names no subject",
        _ => "it does not verify",
    }
}

/// `tid` of an ID token whose signature was verified already: Microsoft's
/// tenant, which the issuer must name.
fn tenant_of(jwt: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("tid")?.as_str().map(str::to_owned)
}

fn sign_in(
    conn: &mut DbConnection,
    state: &Ports,
    ctx: &RequestContext,
    provider: &OidcProvider,
    vouched: Vouched,
    return_to: Option<String>,
) -> WorkflowResult<Outcome> {
    let identity = &vouched.identity;
    let Some(linked) = external_identities::find(conn, &identity.issuer, &identity.subject)? else {
        let registration_token = state.jwt.registration_token(
            identity,
            ctx.now.and_utc().timestamp(),
            REGISTRATION_TOKEN_TTL_SECS,
        )?;
        return Ok(Outcome::RegistrationRequired {
            registration_token,
            expires_in: REGISTRATION_TOKEN_TTL_SECS,
            email: vouched.email,
            name: vouched.name,
            return_to,
        });
    };
    let account = accounts::get(conn, &linked.account_id)?;
    if account.disabled_at.is_some() {
        return Err(WorkflowError::Unauthorized(
            "this account is disabled; ask an administrator",
        ));
    }
    record(conn, ctx, Some(&account.id)).audit(
        "session.started",
        ("account", &account.id.clone()),
        json!({"provider": provider.id, "identity_id": linked.id}),
    )?;
    let session = sessions::issue(conn, state, account, None, ctx.now)?;
    Ok(Outcome::SignedIn {
        session: Box::new(session),
        return_to,
    })
}

/// Links `identity` to the account, in the caller's transaction: the link
/// step of the callback and of registering with a registration token.
pub fn link(
    conn: &mut DbConnection,
    ctx: &RequestContext,
    account_id: &str,
    identity: &VerifiedIdentity,
) -> WorkflowResult<ExternalIdentity> {
    if let Some(existing) = external_identities::find(conn, &identity.issuer, &identity.subject)? {
        if existing.account_id == account_id {
            return Ok(existing);
        }
        return Err(DomainError::IdentityLinkedElsewhere.into());
    }
    let linked = external_identities::link(
        conn,
        account_id,
        &identity.provider,
        &identity.issuer,
        &identity.subject,
        ctx.now,
    )
    .map_err(|e| match e {
        PersistenceError::Conflict { what: "identity" } => {
            WorkflowError::from(DomainError::IdentityLinkedElsewhere)
        }
        PersistenceError::Conflict {
            what: "identity_provider",
        } => WorkflowError::from(DomainError::ProviderAlreadyLinked),
        other => other.into(),
    })?;
    record(conn, ctx, Some(account_id)).audit(
        "identity.linked",
        ("account", account_id),
        json!({"provider": linked.provider, "identity_id": linked.id}),
    )?;
    Ok(linked)
}

/// Links the identity of a registration token to a just-registered account
/// (account claim or new account), in that registration's transaction.
pub fn link_registration(
    conn: &mut DbConnection,
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    registration_token: &str,
) -> WorkflowResult<()> {
    let identity = verify_registration(state, registration_token)?;
    link(conn, ctx, account_id, &identity).map(|_| ())
}

/// The identity of a registration token, or a 422 naming the field.
pub fn verify_registration(state: &Ports, token: &str) -> WorkflowResult<VerifiedIdentity> {
    state.jwt.verify_registration(token).ok_or_else(|| {
        WorkflowError::field(
            "registration_token",
            "is invalid or has expired; sign in with the provider again",
        )
    })
}

/// The account's linked identities.
pub fn identities(state: &Ports, account_id: &str) -> WorkflowResult<Vec<LinkedIdentity>> {
    let found = state
        .db
        .read(|conn| external_identities::list_for_account(conn, account_id))?;
    Ok(found.into_iter().map(LinkedIdentity::from).collect())
}

/// Unlinks the account's identity at `provider` (404 when there is none).
pub fn unlink(
    state: &Ports,
    ctx: &RequestContext,
    account_id: &str,
    provider_id: &str,
) -> WorkflowResult<()> {
    state.db.transaction(|conn| {
        let removed = external_identities::unlink(conn, account_id, provider_id)?
            .ok_or(WorkflowError::NotFound)?;
        record(conn, ctx, Some(account_id)).audit(
            "identity.unlinked",
            ("account", account_id),
            json!({"provider": removed.provider, "identity_id": removed.id}),
        )
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const PUBLISHED: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const OTHER: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

    /// An ID token as Microsoft's common authority issues them (its
    /// signature is not what this checks: it was verified before).
    fn crafted(iss: &str, tid: Option<&str>) -> String {
        let mut claims = json!({"iss": iss, "sub": "s", "aud": "c", "exp": 1, "iat": 0});
        if let Some(tid) = tid {
            claims["tid"] = json!(tid);
        }
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"k"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        )
    }

    fn accepted(iss: &str, tid: Option<&str>, allowed: &[String]) -> Result<(), &'static str> {
        let token = crafted(iss, tid);
        check_tenant_issuer(PUBLISHED, iss, tenant_of(&token).as_deref(), allowed)
    }

    #[test]
    fn a_multi_tenant_token_is_accepted_only_for_its_own_tenant() {
        let own = format!("https://login.microsoftonline.com/{TENANT}/v2.0");
        let other = format!("https://login.microsoftonline.com/{OTHER}/v2.0");
        assert_eq!(accepted(&own, Some(TENANT), &[]), Ok(()));
        assert!(accepted(&other, Some(TENANT), &[]).is_err());
        assert!(accepted(&own, None, &[]).is_err());
        assert!(accepted(PUBLISHED, Some("{tenantid}"), &[]).is_err());
        assert!(accepted(&own, Some(TENANT), &[OTHER.to_owned()]).is_err());
        assert_eq!(accepted(&own, Some(TENANT), &[TENANT.to_owned()]), Ok(()));
    }

    #[test]
    fn return_to_stays_on_this_site() {
        assert_eq!(parse_return_to(None).unwrap(), None);
        assert_eq!(
            parse_return_to(Some("/applications?x=1")).unwrap(),
            Some("/applications?x=1".to_owned())
        );
        for outside in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "x",
        ] {
            assert!(parse_return_to(Some(outside)).is_err(), "{outside}");
        }
    }
}
