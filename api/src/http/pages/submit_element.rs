//! `/submit-element?token=…`, the link mailed to a third party (an employer
//! verifying experience, a training coach): their element as a form,
//! generated from the element's own schema (`wire::element_data`), read and
//! checked as `PUT …/elements/{key}` reads it, submitted once.

use super::{Refusal, alert, escape, incomplete_link, page, token_of};
use crate::http::error::ApiError;
use crate::http::extract::blocking;
use crate::http::routes::applications::element_data_json;
use crate::http::wire::element_data;
use crate::http::wire::elements::parse_element;
use crate::workflows::{Ports, RequestContext, applications};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use kecs_domain::application::ElementKey;
use kecs_domain::application::invitee::{claim_confirmed, invitee_requirements};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::LazyLock;

const TITLE: &str = "Your part of an application";

#[get("/submit-element")]
pub async fn show(
    state: web::Data<Ports>,
    ctx: RequestContext,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let Some(token) = token_of(&query) else {
        return incomplete_link(TITLE);
    };
    match read(state, ctx, token.clone()).await {
        Ok(element) => element.page(StatusCode::OK, &token, &HashMap::new(), None),
        Err(error) => refused(error).await,
    }
}

#[post("/submit-element")]
pub async fn submit(
    state: web::Data<Ports>,
    ctx: RequestContext,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let Some(token) = token_of(&form) else {
        return incomplete_link(TITLE);
    };
    let element = match read(state.clone(), ctx.clone(), token.clone()).await {
        Ok(element) => element,
        Err(error) => return refused(error).await,
    };
    let (body, mut unreadable) = element.body_of(&form);
    let data = match parse_element(element.key, body) {
        Ok(data) if unreadable.is_empty() => data,
        Ok(_) => {
            let refusal = Refusal::of(ApiError::from(unreadable)).await;
            return element.page(refusal.status, &token, &form, Some(&refusal));
        }
        Err(errors) => {
            for error in errors.iter() {
                unreadable.push(error.field.clone(), error.message.clone());
            }
            let refusal = Refusal::of(ApiError::from(unreadable)).await;
            return element.page(refusal.status, &token, &form, Some(&refusal));
        }
    };
    let id = element.application_id.clone();
    let submitted = {
        let token = token.clone();
        blocking(move || applications::invitee_submit(&state, &ctx, &token, &id, &data)).await
    };
    match submitted {
        Ok((_, applicant)) => page(
            StatusCode::OK,
            "Thank you",
            &format!(
                "<p>Your {} for {} is submitted. They are told, and the cabinet reviews it with \
                 their application. The link is used up.</p>",
                escape(&element.key.title().to_lowercase()),
                escape(&applicant)
            ),
        ),
        Err(error) => {
            let refusal = Refusal::of(error).await;
            element.page(refusal.status, &token, &form, Some(&refusal))
        }
    }
}

/// What the page shows of the element its link is for.
struct InvitedElement {
    application_id: String,
    key: ElementKey,
    applicant: String,
    requirements: Vec<String>,
    claims: Option<Value>,
    /// The element's schema, as `openapi.yaml` publishes it.
    schema: Value,
    definitions: &'static HashMap<String, Value>,
}

/// The elements' schemas and those they refer to, as JSON: built once.
static DEFINITIONS: LazyLock<HashMap<String, Value>> = LazyLock::new(|| {
    element_data::schemas()
        .into_iter()
        .filter_map(|(name, schema)| Some((name, serde_json::to_value(schema).ok()?)))
        .collect()
});

async fn read(
    state: web::Data<Ports>,
    ctx: RequestContext,
    token: String,
) -> Result<InvitedElement, ApiError> {
    blocking(move || {
        let (id, key) = applications::invitation_target(&state, &ctx, &token)?;
        let (view, applicant) = applications::invitee_view(&state, &ctx, &token, &id, key)?;
        let requirements = invitee_requirements(key, &applicant).unwrap_or_else(|| {
            view.plan
                .elements
                .iter()
                .find(|e| e.key == key)
                .map(|e| e.requirements.clone())
                .unwrap_or_default()
        });
        let claims = claim_confirmed(key)
            .and_then(|claimed| view.element(claimed))
            .and_then(|stored| stored.data.as_ref())
            .map(element_data_json);
        Ok::<_, crate::workflows::WorkflowError>((id, key, applicant, requirements, claims))
    })
    .await
    .map(|(application_id, key, applicant, requirements, claims)| {
        let definitions = &*DEFINITIONS;
        let schema = element_data::schema_of(key)
            .and_then(|(name, _)| definitions.get(name).cloned())
            .unwrap_or_default();
        InvitedElement {
            application_id,
            key,
            applicant,
            requirements,
            claims,
            schema,
            definitions,
        }
    })
}

async fn refused(error: ApiError) -> HttpResponse {
    let refusal = Refusal::of(error).await;
    let message = if refusal.status == StatusCode::UNAUTHORIZED {
        "This link is not one the cabinet sent. Open the whole link from the mail.".to_owned()
    } else {
        refusal.detail
    };
    page(refusal.status, TITLE, &alert(&message))
}

/// One input of the form: its name in the body (`coach.email` for a nested
/// field), its schema, and its label.
struct Input {
    name: String,
    schema: Value,
    label: String,
}

impl InvitedElement {
    /// The inputs the element's schema describes, nested objects (a third
    /// party named in it) flattened to dotted names. Lists have no input:
    /// no element a third party submits takes one.
    fn inputs(&self) -> Vec<Input> {
        let mut inputs = Vec::new();
        self.collect(&self.schema, "", &mut inputs);
        inputs
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let reference = schema
            .get("$ref")
            .or_else(|| {
                schema["oneOf"]
                    .as_array()
                    .and_then(|o| o.iter().find_map(|b| b.get("$ref")))
            })
            .and_then(Value::as_str);
        match reference {
            Some(reference) => self
                .definitions
                .get(reference.rsplit('/').next().unwrap_or(reference))
                .unwrap_or(schema),
            None => schema,
        }
    }

    fn collect(&self, schema: &Value, prefix: &str, inputs: &mut Vec<Input>) {
        let Some(properties) = schema["properties"].as_object() else {
            return;
        };
        for (field, property) in properties {
            let name = if prefix.is_empty() {
                field.clone()
            } else {
                format!("{prefix}.{field}")
            };
            let resolved = self.resolve(property);
            if resolved["properties"].is_object() {
                self.collect(resolved, &name, inputs);
                continue;
            }
            if kind_of(resolved) == "array" {
                continue;
            }
            let label = property["description"]
                .as_str()
                .or(resolved["description"].as_str())
                .map(|d| d.trim_end_matches('.').to_owned())
                .unwrap_or_else(|| humanize(&name));
            inputs.push(Input {
                name,
                schema: resolved.clone(),
                label,
            });
        }
    }

    /// The JSON body the form's fields make, and each field that could not
    /// be read as its type.
    fn body_of(
        &self,
        form: &HashMap<String, String>,
    ) -> (Value, kecs_domain::validation::FieldErrors) {
        let mut body = Map::new();
        let mut errors = kecs_domain::validation::FieldErrors::new();
        for input in self.inputs() {
            let Some(raw) = form
                .get(&input.name)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
            else {
                continue;
            };
            let value = match kind_of(&input.schema) {
                "boolean" => Value::Bool(raw == "true"),
                "number" | "integer" => match raw.parse::<f64>() {
                    Ok(number) => serde_json::json!(number),
                    Err(_) => {
                        errors.push(input.name.clone(), "must be a number");
                        continue;
                    }
                },
                _ => Value::String(raw.to_owned()),
            };
            let mut at = &mut body;
            let mut parts = input.name.split('.').peekable();
            while let Some(part) = parts.next() {
                if parts.peek().is_none() {
                    at.insert(part.to_owned(), value);
                    break;
                }
                at = match at
                    .entry(part.to_owned())
                    .or_insert_with(|| Value::Object(Map::new()))
                {
                    Value::Object(inner) => inner,
                    _ => break,
                };
            }
        }
        (Value::Object(body), errors)
    }

    fn page(
        &self,
        status: StatusCode,
        token: &str,
        sent: &HashMap<String, String>,
        refusal: Option<&Refusal>,
    ) -> HttpResponse {
        let mut html = String::new();
        if let Some(refusal) = refusal {
            let inputs = self.inputs();
            let named: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
            let general: Vec<&str> = refusal
                .fields
                .iter()
                .filter(|(field, _)| !named.contains(&field.as_str()))
                .map(|(_, message)| message.as_str())
                .collect();
            html.push_str(&alert(&if general.is_empty() {
                "Nothing was submitted yet; see below.".to_owned()
            } else {
                format!("Nothing was submitted yet: {}", general.join("; "))
            }));
        }
        html.push_str(&format!(
            "<p>{} asks you to complete this part of their application for the Kentucky \
             Early Care and Education Trainer's Credential.</p>\n<ul>",
            escape(&self.applicant)
        ));
        for requirement in &self.requirements {
            html.push_str(&format!("<li>{}</li>", escape(requirement)));
        }
        html.push_str("</ul>\n");
        if let Some(Value::Object(claims)) = &self.claims {
            html.push_str(&format!(
                "<h2>What {} states</h2>\n<dl>",
                escape(&self.applicant)
            ));
            for (field, value) in claims {
                let shown = match value {
                    // A person named in it: the name before the address.
                    Value::Object(inner) => {
                        let mut parts: Vec<(&String, &Value)> = inner.iter().collect();
                        parts.sort_by_key(|(field, _)| field.as_str() != "name");
                        parts
                            .into_iter()
                            .filter_map(|(_, part)| part.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                html.push_str(&format!(
                    "<dt>{}</dt><dd>{}</dd>",
                    escape(&humanize(field)),
                    escape(&shown)
                ));
            }
            html.push_str("</dl>\n");
        }
        html.push_str(&format!(
            "<form method=\"post\" action=\"/submit-element\">\n\
             <input type=\"hidden\" name=\"token\" value=\"{}\">\n",
            escape(token)
        ));
        for input in self.inputs() {
            let error = refusal.and_then(|r| r.message_for(&input.name));
            html.push_str(&input.html(sent.get(&input.name).map(String::as_str), error));
            html.push('\n');
        }
        html.push_str(&format!(
            "<button type=\"submit\">Submit to the cabinet</button>\n</form>\n\
             <p class=\"hint\">You can submit once. {} cannot change what you submit.</p>",
            escape(&self.applicant)
        ));
        page(status, self.key.title(), &html)
    }
}

impl Input {
    fn html(&self, sent: Option<&str>, error: Option<&str>) -> String {
        let id = format!("field-{}", self.name.replace('.', "-"));
        let (invalid, described, message) = match error {
            Some(message) => (
                " aria-invalid=\"true\"",
                format!(" aria-describedby=\"{id}-error\""),
                format!(
                    "<p class=\"field-error\" id=\"{id}-error\">{}: {}</p>",
                    escape(&self.label),
                    escape(message)
                ),
            ),
            None => ("", String::new(), String::new()),
        };
        let name = escape(&self.name);
        let label = escape(&self.label);
        if kind_of(&self.schema) == "boolean" {
            let choice = |value: &str, text: &str| {
                let checked = if sent == Some(value) { " checked" } else { "" };
                format!(
                    "<div><input type=\"radio\" id=\"{id}-{value}\" name=\"{name}\" \
                     value=\"{value}\"{checked}{described}><label for=\"{id}-{value}\">{text}</label></div>"
                )
            };
            return format!(
                "<fieldset class=\"field\"><legend>{label}</legend>{}{}{message}</fieldset>",
                choice("true", "Yes"),
                choice("false", "No"),
            );
        }
        let mut attributes = String::new();
        let kind = match (kind_of(&self.schema), self.schema["format"].as_str()) {
            ("number" | "integer", _) => {
                attributes.push_str(" inputmode=\"decimal\"");
                for bound in ["minimum", "maximum"] {
                    if let Some(value) = self.schema[bound].as_f64() {
                        attributes.push_str(&format!(" {}=\"{value}\"", &bound[..3]));
                    }
                }
                "number\" step=\"any"
            }
            (_, Some("date")) => "date",
            (_, Some("email")) => "email",
            _ => "text",
        };
        if let Some(max) = self.schema["maxLength"].as_u64() {
            attributes.push_str(&format!(" maxlength=\"{max}\""));
        }
        let value = sent
            .map(|v| format!(" value=\"{}\"", escape(v)))
            .unwrap_or_default();
        format!(
            "<div class=\"field\"><label for=\"{id}\">{label}</label>\
             <input id=\"{id}\" name=\"{name}\" type=\"{kind}\"{attributes}{value}{invalid}{described}>\
             {message}</div>"
        )
    }
}

/// The JSON type of a schema (`["number", "null"]` is a number).
fn kind_of(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(kind) => kind,
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or(""),
        _ => "",
    }
}

/// `ece_experience_years` as words: "Ece experience years".
fn humanize(name: &str) -> String {
    let words = name.replace(['_', '.'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}
