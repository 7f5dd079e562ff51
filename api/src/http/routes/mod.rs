//! HTTP routes: parse the request into domain values, call a workflow,
//! shape the answer. Registered through utoipa-actix-web so no route exists
//! undocumented.

pub mod accounts;
pub mod applications;
pub mod attachments;
pub mod auth;
pub mod credentials;
pub mod dashboard;
pub mod denial_reviews;
pub mod eligibility;
pub mod notifications;
pub mod oidc;
pub mod ops;
pub mod payments;
pub mod preapproval_records;
pub mod preapprovals;
pub mod profile;
pub mod review;
pub mod sponsors;
pub mod state_holidays;
pub mod training_agencies;
pub mod training_certificates;
pub mod training_events;
pub mod training_records;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(accounts::search)
        .service(accounts::claim)
        .service(accounts::create)
        .service(accounts::confirm_email)
        .service(accounts::resend_confirmation)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::forgot_username)
        .service(auth::forgot_password)
        .service(auth::reset_password)
        .service(auth::providers)
        .service(oidc::start_sign_in)
        .service(oidc::sign_in_callback)
        .service(oidc::link_identity)
        .service(oidc::list_identities)
        .service(oidc::unlink_identity)
        .service(profile::get_profile)
        .service(profile::put_profile)
        .service(profile::patch_profile)
        .service(eligibility::evaluate)
        .service(eligibility::renewal)
        .service(eligibility::my_eligibility)
        .service(applications::request_types)
        .service(applications::start_application)
        .service(applications::list_applications)
        .service(applications::application_overview)
        .service(applications::get_element)
        .service(applications::put_element)
        .service(applications::invite_submitter)
        .service(attachments::upload_attachment)
        .service(attachments::download_attachment)
        .service(attachments::delete_attachment)
        .service(payments::invoice)
        .service(payments::create_payment)
        .service(payments::confirm_payment)
        .service(payments::payment_webhook)
        .service(payments::get_payment)
        .service(payments::refund_payment)
        .service(payments::list_fees)
        .service(payments::set_fee)
        .service(review::review_queue)
        .service(review::assign_application)
        .service(review::return_application)
        .service(review::approve_application)
        .service(review::deny_application)
        .service(review::request_denial_review)
        .service(review::resubmit_application)
        .service(review::review_file)
        .service(credentials::my_credentials)
        .service(credentials::get_credential)
        .service(credentials::credential_letter)
        .service(credentials::request_hearing)
        .service(credentials::revoke_credential)
        .service(credentials::public_trainers)
        .service(credentials::public_trainer)
        .service(denial_reviews::open_denial_reviews)
        .service(denial_reviews::extend_denial_review)
        .service(denial_reviews::decide_denial_review)
        .service(dashboard::my_dashboard)
        .service(notifications::list_notifications)
        .service(notifications::read_all_notifications)
        .service(notifications::read_notification)
        .service(dashboard::publish_announcement)
        .service(dashboard::list_announcements)
        .service(dashboard::remove_announcement)
        .service(applications::character_and_fitness)
        .service(applications::withdraw_application)
        .service(training_events::create_training_event)
        .service(training_events::list_training_events)
        .service(training_events::get_training_event)
        .service(training_events::enter_attendance)
        .service(training_events::get_attendance)
        .service(training_events::late_attendance)
        .service(training_records::search_events)
        .service(training_records::trainer_records)
        .service(training_records::my_training_records)
        .service(training_certificates::sign_certificates)
        .service(training_certificates::event_certificates)
        .service(training_certificates::event_certificate_pdf)
        .service(training_certificates::my_certificates)
        .service(training_certificates::my_certificate_pdf)
        .service(training_certificates::my_transcript)
        .service(training_certificates::public_certificate)
        .service(state_holidays::list_state_holidays)
        .service(state_holidays::record_state_holiday)
        .service(state_holidays::remove_state_holiday)
        .service(sponsors::register_sponsor)
        .service(sponsors::my_sponsors)
        .service(sponsors::get_sponsor)
        .service(sponsors::add_representative)
        .service(sponsors::record_non_compliance)
        .service(preapprovals::draft_preapproval)
        .service(preapprovals::sponsor_preapprovals)
        .service(preapprovals::get_preapproval)
        .service(preapprovals::revise_preapproval)
        .service(preapprovals::attach_resume)
        .service(preapprovals::download_resume)
        .service(preapprovals::submit_preapproval)
        .service(preapprovals::answer_information_request)
        .service(preapprovals::request_preapproval_review)
        .service(preapprovals::preapproval_queue)
        .service(preapprovals::request_information)
        .service(preapprovals::approve_preapproval)
        .service(preapprovals::deny_preapproval)
        .service(preapprovals::extend_preapproval_review)
        .service(preapprovals::decide_preapproval_review)
        .service(preapprovals::approved_trainings)
        .service(preapproval_records::enter_preapproval_attendance)
        .service(preapproval_records::preapproval_attendance)
        .service(preapproval_records::preapproval_records_csv)
        .service(preapproval_records::sign_preapproval_certificates)
        .service(preapproval_records::preapproval_certificates)
        .service(preapproval_records::preapproval_certificate_pdf)
        .service(training_agencies::apply_for_agency)
        .service(training_agencies::get_agency)
        .service(training_agencies::my_agencies)
        .service(training_agencies::agency_queue)
        .service(training_agencies::approve_agency)
        .service(training_agencies::deny_agency)
        .service(training_agencies::public_agencies)
        .service(training_agencies::record_instruction)
        .service(training_agencies::agency_trainees);
}

/// Operations endpoints at the root.
pub fn ops(cfg: &mut ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(ops::metrics);
}
