//! Signing in with an identity provider: the rule for issuers that stand
//! for many tenants.
//!
//! Microsoft's multi-tenant authorities (`common`, `organizations`) publish
//! one issuer for every tenant, `https://login.microsoftonline.com/{tenantid}/v2.0`,
//! while each ID token names its own tenant in `iss` and in `tid`. An issuer
//! is accepted only when it is the published one with the token's own `tid`
//! in place of `{tenantid}`: a token from one tenant cannot pass as another's.

/// The placeholder Microsoft's multi-tenant metadata puts in its issuer.
pub const TENANT_ISSUER_PLACEHOLDER: &str = "{tenantid}";

/// Checks `iss` against the provider's published issuer `published`.
/// A single-tenant issuer must match exactly; a multi-tenant one must match
/// with `tid` in its placeholder, and `tid` must be among `allowed_tenants`
/// when that list is not empty. The error says which check failed.
pub fn check_tenant_issuer(
    published: &str,
    iss: &str,
    tid: Option<&str>,
    allowed_tenants: &[String],
) -> Result<(), &'static str> {
    let tenant_ok = |tid: &str| {
        allowed_tenants.is_empty() || allowed_tenants.iter().any(|t| t.eq_ignore_ascii_case(tid))
    };
    if !published.contains(TENANT_ISSUER_PLACEHOLDER) {
        if iss != published {
            return Err("the issuer is not the provider's");
        }
        return match tid {
            Some(tid) if !tenant_ok(tid) => Err("the tenant is not one this service accepts"),
            None if !allowed_tenants.is_empty() => Err("the token names no tenant"),
            _ => Ok(()),
        };
    }
    let Some(tid) = tid.filter(|tid| is_tenant_id(tid)) else {
        return Err("the token names no tenant");
    };
    if iss != published.replace(TENANT_ISSUER_PLACEHOLDER, tid) {
        return Err("the issuer is not the token's own tenant's");
    }
    if !tenant_ok(tid) {
        return Err("the tenant is not one this service accepts");
    }
    Ok(())
}

/// A tenant id is a GUID; anything else in `tid` could smuggle path
/// characters into the issuer it is put in.
fn is_tenant_id(tid: &str) -> bool {
    tid.len() == 36
        && tid.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MULTI: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const TENANT_A: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const TENANT_B: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

    fn issuer_of(tid: &str) -> String {
        MULTI.replace(TENANT_ISSUER_PLACEHOLDER, tid)
    }

    #[test]
    fn a_multi_tenant_issuer_must_name_the_tokens_own_tenant() {
        let a = issuer_of(TENANT_A);
        let b = issuer_of(TENANT_B);
        let none: &[String] = &[];
        type Case<'a> = (&'a str, Option<&'a str>, &'a [String], Result<(), &'a str>);
        let cases: &[Case] = &[
            (&a, Some(TENANT_A), none, Ok(())),
            // Tenant B's issuer with tenant A's tid: one tenant passing as another.
            (
                &b,
                Some(TENANT_A),
                none,
                Err("the issuer is not the token's own tenant's"),
            ),
            (&a, None, none, Err("the token names no tenant")),
            (
                MULTI,
                Some("{tenantid}"),
                none,
                Err("the token names no tenant"),
            ),
            (
                "https://login.microsoftonline.com/../v2.0",
                Some("../x"),
                none,
                Err("the token names no tenant"),
            ),
            (
                "https://evil.example/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
                Some(TENANT_A),
                none,
                Err("the issuer is not the token's own tenant's"),
            ),
        ];
        for (iss, tid, allowed, expected) in cases {
            assert_eq!(
                check_tenant_issuer(MULTI, iss, *tid, allowed),
                *expected,
                "{iss} {tid:?}"
            );
        }
    }

    #[test]
    fn listed_tenants_restrict_who_may_sign_in() {
        let allowed = vec![TENANT_A.to_uppercase()];
        assert_eq!(
            check_tenant_issuer(MULTI, &issuer_of(TENANT_A), Some(TENANT_A), &allowed),
            Ok(())
        );
        assert_eq!(
            check_tenant_issuer(MULTI, &issuer_of(TENANT_B), Some(TENANT_B), &allowed),
            Err("the tenant is not one this service accepts")
        );
    }

    #[test]
    fn a_single_tenant_issuer_matches_exactly() {
        let single = issuer_of(TENANT_A);
        assert_eq!(
            check_tenant_issuer(&single, &single, Some(TENANT_A), &[]),
            Ok(())
        );
        assert_eq!(
            check_tenant_issuer("http://127.0.0.1:9400", "http://127.0.0.1:9400", None, &[]),
            Ok(())
        );
        assert_eq!(
            check_tenant_issuer(&single, &issuer_of(TENANT_B), Some(TENANT_B), &[]),
            Err("the issuer is not the provider's")
        );
    }
}
