//! The documented paths and their methods, read from the contract, for the
//! middleware that must know a route before actix has matched one (the
//! text rule names a path parameter; an unmatched request is 404 or 405).

use actix_web::dev::ResourceDef;

/// Every documented path with its methods, so a request that matches no
/// route can be told apart: a known path with another method is 405 (with
/// `Allow`), anything else 404.
pub struct RouteTable(Vec<(ResourceDef, Vec<String>)>);

impl RouteTable {
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> Self {
        Self(
            spec.paths
                .paths
                .iter()
                .map(|(path, item)| {
                    let methods = serde_json::to_value(item)
                        .ok()
                        .and_then(|v| v.as_object().cloned())
                        .map(|ops| {
                            ops.keys()
                                .filter(|k| {
                                    matches!(
                                        k.as_str(),
                                        "get" | "put" | "post" | "delete" | "patch"
                                    )
                                })
                                .map(|k| k.to_ascii_uppercase())
                                .collect()
                        })
                        .unwrap_or_default();
                    (ResourceDef::new(path.as_str()), methods)
                })
                .collect(),
        )
    }

    /// The documented path `path` is an instance of: of several that match
    /// (`/payments/webhook` and `/payments/{id}`), the most specific, the
    /// one with the most literal segments, as OpenAPI matches concrete paths
    /// before templated ones.
    fn matching(&self, path: &str) -> Option<&(ResourceDef, Vec<String>)> {
        self.0
            .iter()
            .filter(|(def, _)| def.is_match(path))
            .max_by_key(|(def, _)| {
                def.pattern()
                    .map_or(0, |p| p.split('/').filter(|s| !s.starts_with('{')).count())
            })
    }

    /// The name of the path parameter at segment `index` of `path` (split
    /// on `/`), e.g. `number` for segment 5 of `/api/v1/public/trainers/x`.
    pub fn parameter_at(&self, path: &str, index: usize) -> Option<String> {
        let (def, _) = self.matching(path)?;
        let segment = def.pattern()?.split('/').nth(index)?;
        let name = segment.strip_prefix('{')?.strip_suffix('}')?;
        Some(name.split(':').next().unwrap_or(name).to_owned())
    }

    pub fn allowed(&self, path: &str) -> Option<String> {
        self.matching(path).map(|(_, methods)| methods.join(", "))
    }

    /// The methods the contract documents for `path`, when `method` (one of
    /// the five the contract uses) is not among them: a request the router
    /// would hand to a templated route (`GET /payments/webhook` to
    /// `GET /payments/{id}`) is answered as the contract reads, 405.
    pub fn undeclared(&self, path: &str, method: &str) -> Option<String> {
        if !matches!(method, "GET" | "PUT" | "POST" | "DELETE" | "PATCH") {
            return None;
        }
        let (_, methods) = self.matching(path)?;
        (!methods.iter().any(|m| m == method)).then(|| methods.join(", "))
    }
}
