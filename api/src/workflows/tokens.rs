//! The tokens kecs signs: short-lived JWT access tokens, and the claim
//! tokens of account search. Verified by the HTTP extractors; issued by the
//! session and registration workflows.

use crate::workflows::WorkflowError;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use kecs_domain::account::Role;
use serde::{Deserialize, Serialize};

const ISSUER: &str = "kecs";
/// Distinct audiences keep a claim token from ever working as an access token.
const ACCESS_AUDIENCE: &str = "kecs-api";
const CLAIM_AUDIENCE: &str = "kecs-claim";
const REGISTRATION_AUDIENCE: &str = "kecs-oidc-registration";

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    fn validation(audience: &str) -> Validation {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        validation
    }

    pub fn access_token(
        &self,
        account_id: &str,
        role: Role,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String, WorkflowError> {
        let claims = AccessClaims {
            sub: account_id.to_owned(),
            role: role.as_str().to_owned(),
            iss: ISSUER.to_owned(),
            aud: ACCESS_AUDIENCE.to_owned(),
            iat: now,
            exp: now + ttl_secs,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(WorkflowError::internal)
    }

    pub fn verify_access(&self, token: &str) -> Result<Caller, WorkflowError> {
        let data =
            decode::<AccessClaims>(token, &self.decoding, &Self::validation(ACCESS_AUDIENCE))
                .map_err(|_| {
                    WorkflowError::Unauthorized("the access token is invalid or has expired")
                })?;
        let role = Role::parse(&data.claims.role)
            .ok_or(WorkflowError::Unauthorized("the access token is invalid"))?;
        Ok(Caller {
            account_id: data.claims.sub,
            role,
        })
    }

    /// A claim token names one person record found by account search; it is
    /// what "This is me!" sends back, so the record id itself never leaves.
    pub fn claim_token(
        &self,
        person_id: &str,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String, WorkflowError> {
        let claims = ClaimClaims {
            sub: person_id.to_owned(),
            iss: ISSUER.to_owned(),
            aud: CLAIM_AUDIENCE.to_owned(),
            exp: now + ttl_secs,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(WorkflowError::internal)
    }

    /// A registration token carries an identity a provider vouched for and
    /// no account has yet, to the account search and claim or new account
    /// that will link it: the identity itself never comes from the client.
    pub fn registration_token(
        &self,
        identity: &VerifiedIdentity,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String, WorkflowError> {
        let claims = RegistrationClaims {
            sub: identity.subject.clone(),
            idp: identity.provider.clone(),
            idp_iss: identity.issuer.clone(),
            iss: ISSUER.to_owned(),
            aud: REGISTRATION_AUDIENCE.to_owned(),
            exp: now + ttl_secs,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(WorkflowError::internal)
    }

    /// The identity of a valid registration token.
    pub fn verify_registration(&self, token: &str) -> Option<VerifiedIdentity> {
        decode::<RegistrationClaims>(
            token,
            &self.decoding,
            &Self::validation(REGISTRATION_AUDIENCE),
        )
        .ok()
        .map(|data| VerifiedIdentity {
            provider: data.claims.idp,
            issuer: data.claims.idp_iss,
            subject: data.claims.sub,
        })
    }

    /// The person id of a valid claim token.
    pub fn verify_claim(&self, token: &str) -> Option<String> {
        decode::<ClaimClaims>(token, &self.decoding, &Self::validation(CLAIM_AUDIENCE))
            .ok()
            .map(|data| data.claims.sub)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    sub: String,
    role: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct ClaimClaims {
    sub: String,
    iss: String,
    aud: String,
    exp: i64,
}

#[derive(Debug, Serialize, Deserialize)]
struct RegistrationClaims {
    sub: String,
    idp: String,
    idp_iss: String,
    iss: String,
    aud: String,
    exp: i64,
}

/// An identity an OpenID provider vouched for: its (issuer, subject) is what
/// links it to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedIdentity {
    pub provider: String,
    pub issuer: String,
    pub subject: String,
}

/// An authenticated caller (any role), as an access token names them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: String,
    pub role: Role,
}
