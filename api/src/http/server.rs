//! The application: routes, middleware, documentation, and the server.

use crate::config::Config;
use crate::http::connection::ProblemStream;
use crate::http::error::{ApiError, Problem, ProblemField};
use crate::http::route_table::RouteTable;
use crate::http::routes;
use crate::http::telemetry::{self, Metrics};
use crate::http::{middleware, text};
use crate::workflows::Ports;
use crate::workflows::WorkflowError;
use crate::workflows::outbox::{Mailer, run_outbox_worker};
use actix_http::error::DispatchError;
use actix_http::{HttpService, KeepAlive, Protocol};
use actix_service::{IntoServiceFactory, ServiceFactoryExt, map_config};
use actix_web::dev::{AppConfig, Server, ServiceFactory, ServiceRequest, fn_service};
use actix_web::middleware::from_fn;
use actix_web::rt::net::TcpStream;
use actix_web::{App, HttpResponse, web};
use std::future::ready;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{AppExt, UtoipaApp, scope};
use utoipa_swagger_ui::SwaggerUi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "kecs — Kentucky Early Care and Education Trainer's Credential API",
        description = "Accounts, applications, payments and review for the trainer's credential of 922 KAR 2:240. \
            Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`; validation \
            problems list every rejected field in `errors`.",
        license(name = "MIT", identifier = "MIT"),
    ),
    servers((url = "/", description = "This server")),
    modifiers(&BearerAuth),
    components(
        schemas(Problem, ProblemField),
        responses(
            crate::http::responses::MalformedBody,
            crate::http::responses::NotSignedIn,
            crate::http::responses::ApplicantsOnly,
            crate::http::responses::StaffOnly,
            crate::http::responses::AdminsOnly,
            crate::http::responses::NotFound,
            crate::http::responses::MethodNotAllowed,
            crate::http::responses::BodyTooLarge,
            crate::http::responses::NotJson,
            crate::http::responses::InvalidFields,
            crate::http::responses::InvalidFieldsOrNoHumanCheck,
            crate::http::responses::InvalidQuery,
            crate::http::responses::InvalidParameter,
            crate::http::responses::TooManyRequests,
            crate::http::responses::Unavailable,
            crate::http::responses::RequestTimeout,
        ),
    ),
    tags(
        (name = "accounts", description = "Registration: account search and claim, new accounts, email confirmation"),
        (name = "auth", description = "Sign-in, token refresh, sign-out, forgotten username or password"),
        (name = "profile", description = "The applicant's own profile"),
        (name = "applications", description = "Applying for a credential: request types, elements, Character & Fitness, overview"),
        (name = "eligibility", description = "The rules of 922 KAR 2:240 as a service: levels an educator may hold, renewals"),
        (name = "payments", description = "Invoices and payments: a payment that succeeds submits the application"),
        (name = "review", description = "Certification specialists: the queue, assignment, decisions"),
        (name = "credentials", description = "Trainer's credentials: the letter of approval, renewal, revocation and the hearing request"),
        (name = "training", description = "Training events a credentialed trainer gives (Sec. 11) and their attendance (Sec. 12(1)(a))"),
        (name = "preapproval", description = "Training approval: sponsoring organisations and their applications for preapproval of events (Sec. 16-17), training agencies (Sec. 18)"),
        (name = "public", description = "The public register of credentialed trainers, certificates, preapproved trainings and approved training agencies: no account needed"),
        (name = "admin", description = "Administration: announcements, state holidays"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
struct ApiDoc;

struct BearerAuth;

/// Lists every error code on the problem's `code`, with its status and
/// title, from the one table (`crate::http::error`): the contract shows
/// exactly the codes the server can answer with. Applied to the finished
/// document, since each route registers `Problem` again.
struct ProblemCodes;

impl Modify for ProblemCodes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::Schema;
        let Some(RefOr::T(Schema::Object(problem))) = openapi
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("Problem"))
        else {
            return;
        };
        let Some(RefOr::T(Schema::Object(code))) = problem.properties.get_mut("code") else {
            return;
        };
        let mut table = String::from(
            "Stable machine-readable code, one of these (its status and title):\n\n| code | status | title |\n|---|---|---|\n",
        );
        for (name, status, title) in crate::http::error::code_table() {
            table.push_str(&format!("| `{name}` | {status} | {title} |\n"));
        }
        code.description = Some(table);
        code.enum_values = Some(
            crate::http::error::all_codes()
                .into_iter()
                .map(serde_json::Value::from)
                .collect(),
        );
    }
}

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        // The third party of an element (an employer, a co-trainer) has no
        // account: the single-use token of their mailed link stands in.
        components.add_security_scheme(
            "invitation",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "Invitation-Token",
                    "The token of the link mailed to a third party, sent as this header (never in the URL)",
                ),
            )),
        );
    }
}

fn mount<T>(app: UtoipaApp<T>) -> UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.service(scope("/api/v1").configure(routes::api_v1))
        .configure(routes::ops)
}

/// The OpenAPI document, generated from the routes themselves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut spec = mount(App::new().into_utoipa_app().openapi(ApiDoc::openapi()))
        .split_for_parts()
        .1;
    ProblemCodes.modify(&mut spec);
    crate::http::wire::element_data::ElementPaths.modify(&mut spec);
    crate::http::wire::element_data::ElementsOnFile.modify(&mut spec);
    spec.components
        .get_or_insert_with(Default::default)
        .schemas
        .extend(crate::http::wire::element_data::schemas());
    ParametersAreChecked.modify(&mut spec);
    BodyTextIsChecked.modify(&mut spec);
    spec
}

/// Every path segment and query parameter passes the text rule
/// (`http::text`) before routing, so every operation that takes one may
/// answer 422 naming it, whatever its own handler documents.
struct ParametersAreChecked;

impl Modify for ParametersAreChecked {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::{Ref, RefOr};
        for item in openapi.paths.paths.values_mut() {
            let shared = item.parameters.clone().unwrap_or_default();
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let takes_parameters = shared
                    .iter()
                    .chain(operation.parameters.iter().flatten())
                    .any(|parameter| match parameter {
                        RefOr::T(p) => {
                            matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query)
                        }
                        RefOr::Ref(_) => true,
                    });
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(parameter) = parameter
                        && matches!(
                            parameter.parameter_in,
                            ParameterIn::Path | ParameterIn::Query
                        )
                    {
                        state_the_text_rule(parameter);
                    }
                }
                if takes_parameters {
                    operation
                        .responses
                        .responses
                        .entry("422".to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name("InvalidParameter")));
                }
            }
        }
    }
}

/// The text rule (`kecs_domain::validation::check_text_characters`) as a
/// pattern, on a text parameter that states no shape of its own: a client
/// validating against the contract never sends what the server refuses.
const ONE_LINE_TEXT: &str = r"^[^\x00-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$";

fn state_the_text_rule(parameter: &mut utoipa::openapi::path::Parameter) {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{Schema, SchemaType, Type};
    let Some(RefOr::T(Schema::Object(schema))) = parameter.schema.as_mut() else {
        return;
    };
    let is_text = match &schema.schema_type {
        SchemaType::Type(Type::String) => true,
        SchemaType::Array(types) => types.contains(&Type::String),
        _ => false,
    };
    if is_text
        && schema.pattern.is_none()
        && schema.enum_values.is_none()
        && schema.format.is_none()
    {
        schema.pattern = Some(ONE_LINE_TEXT.to_owned());
    }
}

/// Every string of a JSON body passes the text rule for bodies
/// (`kecs_domain::validation::check_multiline_text_characters`, applied by
/// `http::text` before any handler): each string field of a request body's
/// schema that states no shape of its own carries it as a pattern.
struct BodyTextIsChecked;

const MULTILINE_TEXT: &str =
    r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$";

impl Modify for BodyTextIsChecked {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use serde_json::Value;
        let mut bodies = Vec::new();
        for item in openapi.paths.paths.values() {
            for operation in [&item.get, &item.put, &item.post, &item.delete, &item.patch]
                .into_iter()
                .flatten()
            {
                if let Some(body) = &operation.request_body
                    && let Ok(body) = serde_json::to_value(body)
                {
                    bodies.push(body["content"]["application/json"]["schema"].clone());
                }
            }
        }
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        // The component schemas a request body reaches, through its refs.
        let mut reached = std::collections::BTreeSet::new();
        let mut pending: Vec<String> = bodies.iter().flat_map(refs_in).collect();
        while let Some(name) = pending.pop() {
            if !reached.insert(name.clone()) {
                continue;
            }
            if let Some(schema) = components.schemas.get(&name)
                && let Ok(schema) = serde_json::to_value(schema)
            {
                pending.extend(refs_in(&schema));
            }
        }
        for name in reached {
            let Some(schema) = components.schemas.get(&name) else {
                continue;
            };
            let Ok(mut value) = serde_json::to_value(schema) else {
                continue;
            };
            state_text_patterns(&mut value);
            if let Ok(schema) = serde_json::from_value::<
                utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
            >(value)
            {
                components.schemas.insert(name, schema);
            }
        }
        fn refs_in(value: &Value) -> Vec<String> {
            match value {
                Value::Object(map) => map
                    .iter()
                    .flat_map(|(key, inner)| match (key.as_str(), inner) {
                        ("$ref", Value::String(reference)) => {
                            vec![reference.rsplit('/').next().unwrap_or(reference).to_owned()]
                        }
                        _ => refs_in(inner),
                    })
                    .collect(),
                Value::Array(items) => items.iter().flat_map(refs_in).collect(),
                _ => Vec::new(),
            }
        }
        fn state_text_patterns(value: &mut Value) {
            let Value::Object(map) = value else {
                if let Value::Array(items) = value {
                    items.iter_mut().for_each(state_text_patterns);
                }
                return;
            };
            let is_text = match map.get("type") {
                Some(Value::String(kind)) => kind == "string",
                Some(Value::Array(kinds)) => kinds.iter().any(|k| k == "string"),
                _ => false,
            };
            let shaped = ["pattern", "enum", "format", "const"]
                .iter()
                .any(|key| map.contains_key(*key));
            if is_text && !shaped {
                map.insert("pattern".to_owned(), Value::from(MULTILINE_TEXT));
            }
            for (key, inner) in map.iter_mut() {
                // Examples and defaults are values, not schemas.
                if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    state_text_patterns(inner);
                }
            }
        }
    }
}

/// The committed `openapi.yaml` is this text.
pub fn openapi_yaml() -> Result<String, String> {
    openapi().to_yaml().map_err(|e| e.to_string())
}

async fn unmatched(
    req: actix_web::HttpRequest,
    routes: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    match routes.allowed(req.path()) {
        Some(allow) => Err(ApiError::MethodNotAllowed { allow }),
        None => Err(ApiError::from(WorkflowError::NotFound)),
    }
}

pub use crate::workflows::StartError;

/// Builds the running server on `listener` (migrating first) and starts the
/// outbox worker. Must be called inside an actix system.
///
/// This is what `HttpServer::listen` does — one actix-server service per
/// worker, HTTP/1 over each accepted socket, actix-web's settings and its
/// graceful shutdown — except that the dispatcher reads and writes through a
/// [`ProblemStream`] instead of the bare socket, so that the answers it
/// makes itself (400, 408, 431) are problems too. `HttpServer` takes only a
/// `TcpListener` and hands the dispatcher the socket itself: there is no
/// other place to stand between the two.
pub fn start(config: Config, listener: TcpListener, workers: usize) -> Result<Server, StartError> {
    let db = crate::workflows::open_database(&config)?;
    let mailer = Mailer::from_config(&config)?;
    let state = web::Data::new(
        Ports::new(db.clone(), Arc::new(config)).map_err(|e| StartError::Other(e.to_string()))?,
    );
    let metrics = web::Data::new(Metrics::new().map_err(|e| StartError::Other(e.to_string()))?);
    actix_web::rt::spawn(run_outbox_worker(db, mailer, state.outbox_signal.clone()));
    actix_web::rt::spawn(crate::workflows::sweeper::run(
        state.clone().into_inner(),
        state.config.sweep_interval,
    ));
    let spec = openapi();
    let routes = web::Data::new(RouteTable::from_spec(&spec));
    let app = move || {
        let app = App::new()
            .app_data(state.clone())
            .app_data(metrics.clone())
            .app_data(routes.clone())
            .app_data(
                web::QueryConfig::default()
                    .error_handler(|error, _| ApiError::field("query", error.to_string()).into()),
            )
            // The first wrapped runs last: characters are checked before
            // routing, framework errors become problems, then caching is
            // decided on the final answer, which `observe` logs.
            .wrap(from_fn(text::refuse_bad_characters))
            .wrap(from_fn(middleware::refuse_undeclared_methods))
            .wrap(from_fn(middleware::framework_problems))
            .wrap(from_fn(middleware::cache_control))
            .wrap(from_fn(telemetry::observe))
            .into_utoipa_app();
        mount(app)
            .into_app()
            .configure(crate::http::pages::routes)
            .service(
                SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", spec.clone()),
            )
            .default_service(web::to(unmatched))
    };
    let addr = listener.local_addr()?;
    let builder = Server::build().workers(workers);
    let shutdown = builder.graceful_shutdown_signal();
    let server = builder
        .listen("kecs", listener, move || {
            let shutdown = shutdown.clone();
            let http = HttpService::build()
                // Open connections close when the server stops, as
                // `HttpServer` arranges.
                .graceful_shutdown_signal(move || {
                    let shutdown = shutdown.clone();
                    async move { shutdown.notified().await }
                })
                .keep_alive(KeepAlive::default())
                .client_request_timeout(HEAD_TIMEOUT)
                .client_disconnect_timeout(DISCONNECT_TIMEOUT)
                .h1_allow_half_closed(true)
                .local_addr(addr)
                .finish(map_config(
                    app()
                        .into_factory()
                        .map_err(|error: actix_web::Error| error.error_response()),
                    // No route builds URLs or reads the configured host.
                    |_| AppConfig::default(),
                ));
            fn_service(|socket: TcpStream| {
                let peer = socket.peer_addr().ok();
                ready(Ok::<_, DispatchError>((
                    ProblemStream::new(socket),
                    Protocol::Http1,
                    peer,
                )))
            })
            .and_then(http)
        })?
        .run();
    Ok(server)
}

/// How long a client has for its request line and headers (actix's
/// default): past it the server answers 408 and closes.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a closing connection may take to shut down (actix-web's
/// default).
const DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);
