-- Identities at an OpenID provider (Sign in with Microsoft), each linked to
-- one account by the provider's issuer and subject, never by email: an
-- identity signs in to exactly one account, an account holds at most one
-- identity per provider.
CREATE TABLE external_identities (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    linked_at TIMESTAMP NOT NULL,
    CONSTRAINT external_identities_issuer_subject_unique UNIQUE (issuer, subject),
    CONSTRAINT external_identities_account_provider_unique UNIQUE (account_id, provider)
);

-- A sign-in (or a link) started at a provider and not yet come back. API
-- nodes keep nothing in memory, so whichever node takes the callback finds
-- it here; it is used up by one conditional update, so a replayed callback
-- fails on every node. Only the SHA-256 of the state is kept.
CREATE TABLE oidc_pending (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    purpose TEXT NOT NULL CHECK (purpose IN ('sign_in', 'link')),
    account_id TEXT REFERENCES accounts (id) ON DELETE CASCADE,
    return_to TEXT,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP,
    CHECK ((purpose = 'link') = (account_id IS NOT NULL))
);
CREATE INDEX oidc_pending_expires_idx ON oidc_pending (expires_at);
