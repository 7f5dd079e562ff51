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
        sign_in: crate::workflows::oidc::sign_in_providers(&state.config),
        human_check: state.human_check.widget(),
    }
}
