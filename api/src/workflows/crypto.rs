//! Secrets at rest: SSNs (AES-256-GCM, keyed-hash search), passwords
//! (argon2id), and the random tokens mailed or handed to clients (SHA-256
//! stored, never the token).

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use kecs_domain::account::{Password, Ssn, SsnLast4};
use rand::RngCore;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

const NONCE_LEN: usize = 12;
/// Binds each ciphertext to its purpose: an SSN ciphertext cannot be
/// replayed as some other encrypted field.
const SSN_AAD: &[u8] = b"kecs:people.ssn:v1";

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("encryption failed")]
    Encrypt,
    #[error("ciphertext is corrupt or was made with another key")]
    Decrypt,
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// Encrypts SSNs and computes their search hashes. Two keys are derived from
/// `KECS_DATA_KEY` (HMAC-SHA256 as a KDF with distinct labels), so the key
/// that indexes never also encrypts.
#[derive(Clone)]
pub struct SsnVault {
    cipher: Aes256Gcm,
    index_key: [u8; 32],
}

fn derive(master: &[u8], label: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length; `new_from_slice` cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(master).unwrap_or_else(|_| unreachable!());
    mac.update(label);
    mac.finalize().into_bytes().into()
}

impl SsnVault {
    pub fn new(data_key: &[u8]) -> Self {
        let encryption_key = derive(data_key, b"kecs/ssn/encryption/v1");
        Self {
            cipher: Aes256Gcm::new(&Key::<Aes256Gcm>::from(encryption_key)),
            index_key: derive(data_key, b"kecs/ssn/index/v1"),
        }
    }

    /// `nonce || ciphertext+tag`, a fresh random nonce each time.
    pub fn encrypt(&self, ssn: &Ssn) -> Result<Vec<u8>, CryptoError> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: ssn.expose_digits().as_bytes(),
                    aad: SSN_AAD,
                },
            )
            .map_err(|_| CryptoError::Encrypt)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn decrypt(&self, stored: &[u8]) -> Result<Ssn, CryptoError> {
        if stored.len() <= NONCE_LEN {
            return Err(CryptoError::Decrypt);
        }
        let (nonce, sealed) = stored.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError::Decrypt)?;
        let plain = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: SSN_AAD,
                },
            )
            .map_err(|_| CryptoError::Decrypt)?;
        let digits = String::from_utf8(plain).map_err(|_| CryptoError::Decrypt)?;
        Ssn::parse(&digits).map_err(|_| CryptoError::Decrypt)
    }

    fn keyed_hash(&self, label: &str, value: &str) -> String {
        let mut mac =
            <HmacSha256 as Mac>::new_from_slice(&self.index_key).unwrap_or_else(|_| unreachable!());
        mac.update(label.as_bytes());
        mac.update(b":");
        mac.update(value.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// Finds a person by the whole SSN without storing it in clear.
    pub fn ssn_hash(&self, ssn: &Ssn) -> String {
        self.keyed_hash("ssn", ssn.expose_digits())
    }

    /// Account search matches the last four digits through this hash.
    pub fn last4_hash(&self, last4: &SsnLast4) -> String {
        self.keyed_hash("last4", last4.expose_digits())
    }
}

/// The working memory of one argon2id run: 19 MiB of blocks with the
/// crate's default parameters. Hashing allocates it anew each time, and
/// glibc keeps such freed blocks in per-thread arenas, so a burst of
/// hashes on many threads grew the process by gigabytes that it never gave
/// back. Reusing one buffer per hashing slot (`workflows::hashing`) keeps
/// the memory of hashing at `slots × 19 MiB`, whatever the load.
pub struct HashMemory(Vec<Block>);

impl HashMemory {
    pub fn new() -> Self {
        Self(vec![Block::new(); Params::default().block_count()])
    }

    /// At least `blocks` blocks: a hash stored with larger parameters than
    /// today's (none exist) grows the buffer.
    fn blocks(&mut self, blocks: usize) -> &mut [Block] {
        if self.0.len() < blocks {
            self.0.resize(blocks, Block::new());
        }
        &mut self.0
    }
}

impl Default for HashMemory {
    fn default() -> Self {
        Self::new()
    }
}

/// argon2id with the crate's defaults (19 MiB, 2 passes), the OWASP baseline.
pub fn hash_password(password: &Password, memory: &mut HashMemory) -> Result<String, CryptoError> {
    let failed = |e: &dyn std::fmt::Display| CryptoError::Hash(e.to_string());
    let argon2 = Argon2::default();
    let params = Params::default();
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = Salt::new(&salt).map_err(|e| failed(&e))?;
    let mut out = vec![0u8; params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN)];
    argon2
        .hash_password_into_with_memory(
            password.expose().as_bytes(),
            &salt,
            &mut out,
            memory.blocks(params.block_count()),
        )
        .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// Whether `candidate` is the password of `stored_hash`. A malformed stored
/// hash never verifies.
pub fn verify_password(stored_hash: &str, candidate: &str, memory: &mut HashMemory) -> bool {
    let Ok(stored) = PasswordHash::new(stored_hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(stored.algorithm.as_str()),
        Params::try_from(&stored),
    ) else {
        return false;
    };
    let version = stored
        .version
        .map(Version::try_from)
        .transpose()
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut out = vec![0u8; expected.len()];
    let blocks = memory.blocks(params.block_count());
    let computed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        candidate.as_bytes(),
        salt,
        &mut out,
        blocks,
    );
    // `Output`'s equality is constant-time.
    computed.is_ok() && Output::new(&out).is_ok_and(|computed| &computed == expected)
}

/// 256 random bits, URL-safe: refresh tokens, mailed links.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a token: enough to recognise it, useless to replay.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ssn_round_trips_and_never_appears_in_the_ciphertext() {
        let vault = SsnVault::new(b"a-test-data-key-that-is-long-enough");
        let ssn = Ssn::parse("123-45-6789").unwrap();
        let sealed = vault.encrypt(&ssn).unwrap();
        assert!(!sealed.windows(9).any(|w| w == b"123456789"));
        assert_eq!(vault.decrypt(&sealed).unwrap(), ssn);
        assert_ne!(vault.encrypt(&ssn).unwrap(), sealed, "nonces must differ");
    }

    #[test]
    fn another_key_cannot_decrypt_or_match() {
        let ours = SsnVault::new(b"a-test-data-key-that-is-long-enough");
        let theirs = SsnVault::new(b"another-data-key-that-is-long-enough");
        let ssn = Ssn::parse("123-45-6789").unwrap();
        assert!(theirs.decrypt(&ours.encrypt(&ssn).unwrap()).is_err());
        assert_ne!(ours.ssn_hash(&ssn), theirs.ssn_hash(&ssn));
        assert_eq!(
            ours.ssn_hash(&ssn),
            ours.ssn_hash(&Ssn::parse("123456789").unwrap())
        );
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let password = Password::parse("Correct-Horse-9-Battery").unwrap();
        let memory = &mut HashMemory::new();
        let hash = hash_password(&password, memory).unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "Correct-Horse-9-Battery", memory));
        assert!(!verify_password(&hash, "Correct-Horse-9-Battery!", memory));
        assert!(!verify_password("not a hash", "anything", memory));
    }

    /// Hashes stored before the buffer was reused were made by the crate's
    /// own hasher: both ways must agree.
    #[test]
    fn hashes_agree_with_the_crates_own_hasher() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let memory = &mut HashMemory::new();
        let stored = Argon2::default()
            .hash_password(b"Correct-Horse-9-Battery")
            .unwrap()
            .to_string();
        assert!(verify_password(&stored, "Correct-Horse-9-Battery", memory));
        assert!(!verify_password(&stored, "Correct-Horse-9-Batter", memory));
        let ours =
            hash_password(&Password::parse("Correct-Horse-9-Battery").unwrap(), memory).unwrap();
        assert!(
            Argon2::default()
                .verify_password(
                    b"Correct-Horse-9-Battery",
                    &PasswordHash::new(&ours).unwrap()
                )
                .is_ok()
        );
    }
}
