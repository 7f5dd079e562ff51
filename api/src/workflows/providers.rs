//! What a front end needs to draw the sign-in and registration pages: the
//! external providers one may sign in with, and the "I'm not a robot"
//! widget to render where the check applies.

use crate::workflows::Ports;
use crate::workflows::human_check::Widget;

/// An external sign-in provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInProvider {
    pub id: String,
    pub name: String,
    /// Where the front end sends the person to start signing in.
    pub start_url: String,
}

#[derive(Debug, Clone)]
pub struct Providers {
    pub sign_in: Vec<SignInProvider>,
    /// `None` while the check is off.
    pub human_check: Option<Widget>,
}

pub fn providers(state: &Ports) -> Providers {
    Providers {
        sign_in: sign_in_providers(&state.config),
        human_check: state.human_check.widget(),
    }
}

/// The configured providers, in the order configured; empty when none is.
pub fn sign_in_providers(config: &crate::config::Config) -> Vec<SignInProvider> {
    config
        .oidc_providers
        .iter()
        .map(|p| SignInProvider {
            id: p.id.clone(),
            name: p.name.clone(),
            start_url: format!("/api/v1/auth/oidc/{}/start", p.id),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn no_provider_configured_means_no_sign_in_button() {
        let config = Config::from_lookup(|_| None).unwrap();
        assert!(sign_in_providers(&config).is_empty());
        let config = Config::from_lookup(|name| {
            match name {
                "KECS_OIDC_PROVIDERS" => Some("microsoft"),
                "KECS_OIDC_MICROSOFT_CLIENT_ID" => Some("c"),
                "KECS_OIDC_MICROSOFT_CLIENT_SECRET" => Some("s"),
                _ => None,
            }
            .map(str::to_owned)
        })
        .unwrap();
        assert_eq!(
            sign_in_providers(&config),
            [SignInProvider {
                id: "microsoft".to_owned(),
                name: "Microsoft".to_owned(),
                start_url: "/api/v1/auth/oidc/microsoft/start".to_owned(),
            }]
        );
    }
}
