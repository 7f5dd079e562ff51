//! Kentucky state holidays, kept by an admin per year: the cabinet's ten
//! working days for a preapproval decision skip them (Sec. 16(2)).

use crate::http::auth::{Admin, Caller};
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, blocking};
use crate::http::responses::{
    AdminsOnly, InvalidFields, InvalidQuery, NotFound, ReadsJsonBody, SignedInAs,
};
use crate::http::wire::list::whole_list;
use crate::workflows::state_holidays;
use crate::workflows::{Ports, RequestContext};
use actix_web::{HttpResponse, delete, get, put, web};
use kecs_domain::account::parse_date;
use kecs_domain::validation::{FieldErrors, plain_text};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct StateHolidayBody {
    #[schema(value_type = String, format = Date)]
    pub day: String,
    #[schema(example = "Thanksgiving Day")]
    pub name: String,
}

whole_list! {
    /// A year's state holidays, in order.
    StateHolidayList of StateHolidayBody;
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The calendar year.
    #[param(minimum = 2000, maximum = 2100, example = 2026)]
    pub year: i32,
}

/// The state holidays recorded for a year (anyone signed in: a sponsor
/// reads why a decision date moved).
#[utoipa::path(
    tag = "preapproval",
    security(("bearer" = [])),
    params(YearQuery),
    responses(
        (status = 200, description = "The year's holidays", body = StateHolidayList),
        (status = 401, response = crate::http::responses::NotSignedIn),
        (status = 422, response = InvalidQuery),
    )
)]
#[get("/state-holidays")]
pub async fn list_state_holidays(
    state: web::Data<Ports>,
    _caller: Caller,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = query.year;
    if !(2000..=2100).contains(&year) {
        return Err(FieldErrors::single("year", "must be from 2000 to 2100").into());
    }
    let holidays = blocking(move || state_holidays::of_year(&state, year)).await?;
    Ok(HttpResponse::Ok().json(StateHolidayList::whole(
        holidays
            .into_iter()
            .map(|h| StateHolidayBody {
                day: h.day.to_string(),
                name: h.name,
            })
            .collect(),
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateHolidayRequest {
    #[schema(example = "Thanksgiving Day", min_length = 1, max_length = 100)]
    pub name: String,
}

/// Records a state holiday. Applications awaiting a preapproval decision
/// have their due dates moved in the same change.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("day" = String, Path, format = Date, description = "The day")),
    request_body = StateHolidayRequest,
    responses(
        (status = 201, description = "Recorded", body = StateHolidayBody),
        ReadsJsonBody,
        (status = 422, response = InvalidFields),
        SignedInAs<AdminsOnly>,
        (status = 409, description = "`holiday_taken`: the day is already a holiday", body = crate::http::error::Problem, content_type = "application/problem+json"),
    )
)]
#[put("/admin/state-holidays/{day}")]
pub async fn record_state_holiday(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    path: web::Path<String>,
    body: ApiJson<StateHolidayRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::new();
    let day = errors.check("day", parse_date(&path.into_inner()));
    let name = errors.check("name", plain_text(&body.0.name, 100));
    errors.into_result()?;
    let (Some(day), Some(name)) = (day, name) else {
        return Err(FieldErrors::single("day", "is required").into());
    };
    let holiday = blocking(move || {
        state_holidays::record_holiday(&state, &ctx, &admin.0.account_id, day, &name)
    })
    .await?;
    Ok(HttpResponse::Created().json(StateHolidayBody {
        day: holiday.day.to_string(),
        name: holiday.name,
    }))
}

/// Removes a state holiday; due dates move back in the same change.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(("day" = String, Path, format = Date, description = "The day")),
    responses(
        (status = 204, description = "Removed"),
        SignedInAs<AdminsOnly>,
        (status = 404, response = NotFound),
        (status = 422, response = InvalidQuery),
    )
)]
#[delete("/admin/state-holidays/{day}")]
pub async fn remove_state_holiday(
    state: web::Data<Ports>,
    ctx: RequestContext,
    admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let day = parse_date(&path.into_inner()).map_err(|e| FieldErrors::single("day", e.0))?;
    blocking(move || state_holidays::remove_holiday(&state, &ctx, &admin.0.account_id, day))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
