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

    /// The name of the path parameter at segment `index` of `path` (split
    /// on `/`), e.g. `number` for segment 5 of `/api/v1/public/trainers/x`.
    pub fn parameter_at(&self, path: &str, index: usize) -> Option<String> {
        let (def, _) = self.0.iter().find(|(def, _)| def.is_match(path))?;
        let segment = def.pattern()?.split('/').nth(index)?;
        let name = segment.strip_prefix('{')?.strip_suffix('}')?;
        Some(name.split(':').next().unwrap_or(name).to_owned())
    }

    pub fn allowed(&self, path: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.join(", "))
    }
}
