//! Tables shared by both backends. Column types are the ones SQLite and
//! PostgreSQL both carry: ids are UUID text, timestamps are UTC without zone.

diesel::table! {
    people (id) {
        id -> Text,
        first_name -> Text,
        middle_name -> Nullable<Text>,
        last_name -> Text,
        first_name_key -> Text,
        last_name_key -> Text,
        date_of_birth -> Date,
        ssn_ciphertext -> Binary,
        ssn_hash -> Text,
        ssn_last4_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        person_id -> Nullable<Text>,
        role -> Text,
        username -> Text,
        username_key -> Text,
        email -> Text,
        email_key -> Text,
        email_confirmed_at -> Nullable<Timestamp>,
        password_hash -> Text,
        address_line1 -> Nullable<Text>,
        address_line2 -> Nullable<Text>,
        address_city -> Nullable<Text>,
        address_state -> Nullable<Text>,
        address_postal_code -> Nullable<Text>,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    one_time_tokens (id) {
        id -> Text,
        account_id -> Text,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        account_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        recipient -> Text,
        subject -> Text,
        body -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    throttle_events (id) {
        id -> Text,
        bucket -> Text,
        occurred_at -> Timestamp,
    }
}

diesel::table! {
    throttle_buckets (bucket) {
        bucket -> Text,
        touched_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor_account_id -> Nullable<Text>,
        action -> Text,
        subject_type -> Text,
        subject_id -> Text,
        request_id -> Nullable<Text>,
        details -> Text,
    }
}

diesel::table! {
    notification_reads (account_id, audit_event_id) {
        account_id -> Text,
        audit_event_id -> Text,
        read_at -> Timestamp,
    }
}

diesel::joinable!(accounts -> people (person_id));
diesel::joinable!(one_time_tokens -> accounts (account_id));
diesel::joinable!(refresh_tokens -> accounts (account_id));

diesel::table! {
    applications (id) {
        id -> Text,
        account_id -> Text,
        status -> Text,
        credential_level -> Text,
        renewal -> Bool,
        request_types -> Text,
        answers -> Text,
        started_at -> Timestamp,
        expires_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        assigned_to -> Nullable<Text>,
        renews_credential_id -> Nullable<Text>,
    }
}

diesel::table! {
    credentials (id) {
        id -> Text,
        number -> Text,
        issue_year -> Integer,
        sequence -> Integer,
        account_id -> Text,
        application_id -> Text,
        level -> Text,
        issued_on -> Date,
        expires_on -> Date,
        status -> Text,
        renewable -> Bool,
        created_at -> Timestamp,
        holder_name -> Text,
        first_name_key -> Text,
        last_name_key -> Text,
        specialty_area -> Nullable<Text>,
        renewed_on -> Nullable<Date>,
        revoked_on -> Nullable<Date>,
        revocation_ground -> Nullable<Text>,
        revocation_statement -> Nullable<Text>,
        revoked_by -> Nullable<Text>,
        hearing_requested_at -> Nullable<Timestamp>,
        hearing_statement -> Nullable<Text>,
        reminded_90_for -> Nullable<Date>,
        reminded_30_for -> Nullable<Date>,
    }
}

diesel::table! {
    application_elements (application_id, element_key) {
        application_id -> Text,
        element_key -> Text,
        position -> Integer,
        data -> Nullable<Text>,
        version -> Integer,
        updated_at -> Nullable<Timestamp>,
        updated_by -> Nullable<Text>,
        finalized_at -> Nullable<Timestamp>,
        verified_by_name -> Nullable<Text>,
        verified_by_email -> Nullable<Text>,
        verified_from_address -> Nullable<Text>,
    }
}

diesel::table! {
    application_reminders (application_id, kind) {
        application_id -> Text,
        kind -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    element_invitations (id) {
        id -> Text,
        application_id -> Text,
        element_key -> Text,
        name -> Text,
        email -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        application_id -> Text,
        element_key -> Text,
        file_name -> Text,
        description -> Text,
        document_type -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        storage_key -> Text,
        uploaded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    announcements (id) {
        id -> Text,
        title -> Text,
        body -> Text,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    fees (request_type) {
        request_type -> Text,
        amount_cents -> BigInt,
        currency -> Text,
        updated_at -> Timestamp,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    payments (id) {
        id -> Text,
        application_id -> Text,
        account_id -> Text,
        amount_cents -> BigInt,
        currency -> Text,
        status -> Text,
        payment_method -> Nullable<Text>,
        failure_reason -> Nullable<Text>,
        gateway_reference -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        expires_at -> Timestamp,
        succeeded_at -> Nullable<Timestamp>,
        refunded_cents -> BigInt,
    }
}

diesel::table! {
    refunds (id) {
        id -> Text,
        payment_id -> Text,
        amount_cents -> BigInt,
        reason -> Text,
        automatic -> Bool,
        gateway_reference -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_events (id) {
        id -> Text,
        event_type -> Text,
        received_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (account_id, idempotency_key) {
        account_id -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status_code -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    denials (application_id) {
        application_id -> Text,
        reasons -> Text,
        denied_by -> Text,
        denied_on -> Date,
        review_requested_at -> Nullable<Timestamp>,
        review_statement -> Nullable<Text>,
        review_due_on -> Nullable<Date>,
        created_at -> Timestamp,
        review_extended_on -> Nullable<Date>,
        review_extension_reason -> Nullable<Text>,
        review_extended_until -> Nullable<Date>,
        review_order_due_on -> Nullable<Date>,
        review_decision -> Nullable<Text>,
        review_order -> Nullable<Text>,
        review_decided_by -> Nullable<Text>,
        review_decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    external_identities (id) {
        id -> Text,
        account_id -> Text,
        provider -> Text,
        issuer -> Text,
        subject -> Text,
        linked_at -> Timestamp,
    }
}

diesel::table! {
    oidc_pending (state_hash) {
        state_hash -> Text,
        provider -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        purpose -> Text,
        account_id -> Nullable<Text>,
        return_to -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        consumed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    deficiencies (id) {
        id -> Text,
        application_id -> Text,
        element_key -> Text,
        message -> Text,
        cited_at -> Timestamp,
        cited_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    unreferenced_objects (storage_key) {
        storage_key -> Text,
        since -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    training_events (id) {
        id -> Text,
        trainer_account_id -> Text,
        credential_id -> Text,
        title -> Text,
        sponsor -> Text,
        course_key -> Text,
        starts_on -> Date,
        ends_on -> Date,
        clock_minutes -> Integer,
        face_to_face -> Bool,
        synchronous -> Bool,
        delivery_modes -> Text,
        interactive -> Bool,
        gauges_participation -> Bool,
        topics -> Text,
        purposes -> Text,
        within_area_of_expertise -> Bool,
        created_at -> Timestamp,
        attendance_entered_at -> Nullable<Timestamp>,
        attendance_late -> Bool,
        reminded_due_at -> Nullable<Timestamp>,
        reminded_overdue_at -> Nullable<Timestamp>,
        county -> Nullable<Text>,
    }
}

diesel::table! {
    training_event_co_trainers (event_id, credential_id) {
        event_id -> Text,
        credential_id -> Text,
        account_id -> Text,
        position -> Integer,
    }
}

diesel::table! {
    training_attendance (id) {
        id -> Text,
        event_id -> Text,
        line -> Integer,
        person_id -> Nullable<Text>,
        first_name -> Text,
        last_name -> Text,
        date_of_birth -> Date,
        employer_name -> Text,
        employer_is_trainers_centre -> Bool,
        employer_head_start -> Bool,
        disciplinary_directive -> Nullable<Text>,
        clock_minutes -> Integer,
        entered_at -> Timestamp,
        late -> Bool,
    }
}

diesel::table! {
    training_certificates (id) {
        id -> Text,
        number -> Text,
        attendance_id -> Text,
        event_id -> Text,
        signed_by -> Text,
        issued_at -> Timestamp,
        trainer_name -> Text,
        trainer_credential_number -> Text,
        trainer_credential_expires_on -> Date,
    }
}

diesel::joinable!(applications -> accounts (account_id));
diesel::joinable!(deficiencies -> applications (application_id));
diesel::joinable!(payments -> applications (application_id));
diesel::joinable!(attachments -> applications (application_id));
diesel::joinable!(element_invitations -> applications (application_id));
diesel::joinable!(application_reminders -> applications (application_id));
diesel::joinable!(application_elements -> applications (application_id));
diesel::joinable!(training_events -> credentials (credential_id));
diesel::joinable!(training_event_co_trainers -> training_events (event_id));
diesel::joinable!(training_attendance -> training_events (event_id));
diesel::joinable!(training_certificates -> training_attendance (attendance_id));

diesel::table! {
    credential_name_prefixes (prefix, last_name_key, number) {
        prefix -> Text,
        last_name_key -> Text,
        number -> Text,
    }
}

diesel::table! {
    revocation_training_events (credential_id, event_id) {
        credential_id -> Text,
        event_id -> Text,
        position -> Integer,
    }
}

diesel::joinable!(revocation_training_events -> training_events (event_id));

diesel::table! {
    state_holidays (day) {
        day -> Date,
        name -> Text,
        recorded_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sponsors (id) {
        id -> Text,
        name -> Text,
        name_key -> Text,
        email -> Text,
        phone -> Text,
        address -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sponsor_representatives (sponsor_id, account_id) {
        sponsor_id -> Text,
        account_id -> Text,
        added_at -> Timestamp,
    }
}

diesel::table! {
    sponsor_findings (id) {
        id -> Text,
        sponsor_id -> Text,
        found_on -> Date,
        finding -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    preapprovals (id) {
        id -> Text,
        sponsor_id -> Text,
        kind -> Text,
        plan -> Text,
        title -> Text,
        title_key -> Text,
        starts_on -> Date,
        ends_on -> Date,
        online -> Bool,
        topics -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        received_on -> Nullable<Date>,
        decision_due_on -> Nullable<Date>,
        decided_by -> Nullable<Text>,
        decided_on -> Nullable<Date>,
        approval_note -> Nullable<Text>,
        approval_expires_on -> Nullable<Date>,
        denial_reasons -> Nullable<Text>,
        review_requested_at -> Nullable<Timestamp>,
        review_statement -> Nullable<Text>,
        review_due_on -> Nullable<Date>,
        review_extended_on -> Nullable<Date>,
        review_extension_reason -> Nullable<Text>,
        review_extended_until -> Nullable<Date>,
        review_order_due_on -> Nullable<Date>,
        review_decision -> Nullable<Text>,
        review_order -> Nullable<Text>,
        review_decided_by -> Nullable<Text>,
        review_decided_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    preapproval_presenters (preapproval_id, position) {
        preapproval_id -> Text,
        position -> Integer,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        date_of_birth -> Nullable<Date>,
        credential_number -> Nullable<Text>,
        resume_file_name -> Nullable<Text>,
        resume_content_type -> Nullable<Text>,
        resume_size_bytes -> Nullable<BigInt>,
        resume_storage_key -> Nullable<Text>,
        resume_uploaded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    preapproval_information_requests (preapproval_id, requested_at) {
        preapproval_id -> Text,
        requested_at -> Timestamp,
        requested_by -> Text,
        message -> Text,
        answered_at -> Nullable<Timestamp>,
        answer -> Nullable<Text>,
    }
}

diesel::table! {
    preapproval_attendance (id) {
        id -> Text,
        preapproval_id -> Text,
        line -> Integer,
        person_id -> Nullable<Text>,
        first_name -> Text,
        last_name -> Text,
        date_of_birth -> Date,
        employer_name -> Text,
        employer_is_presenters_centre -> Bool,
        employer_head_start -> Bool,
        disciplinary_directive -> Nullable<Text>,
        clock_minutes -> Integer,
        entered_by -> Text,
        entered_at -> Timestamp,
    }
}

diesel::table! {
    preapproval_certificates (id) {
        id -> Text,
        number -> Text,
        attendance_id -> Text,
        preapproval_id -> Text,
        signed_by -> Text,
        signer_account_id -> Text,
        issued_at -> Timestamp,
        presenter_name -> Text,
        presenter_credential_number -> Nullable<Text>,
        presenter_credential_expires_on -> Nullable<Date>,
    }
}

diesel::table! {
    presenter_years (presenter_key, year) {
        presenter_key -> Text,
        year -> Integer,
        applications -> Integer,
    }
}

diesel::table! {
    training_agencies (id) {
        id -> Text,
        applicant_account_id -> Text,
        name -> Text,
        name_key -> Text,
        district -> Text,
        county -> Text,
        address -> Text,
        email -> Text,
        phone -> Text,
        offers_commonwealth_child_care_credential -> Bool,
        offers_child_development_associate -> Bool,
        status -> Text,
        received_on -> Date,
        decision_due_on -> Date,
        decided_by -> Nullable<Text>,
        decided_on -> Nullable<Date>,
        decision_reasons -> Nullable<Text>,
        not_solely_density -> Nullable<Bool>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    agency_instruction (id) {
        id -> Text,
        agency_id -> Text,
        trainee_key -> Text,
        first_name -> Text,
        last_name -> Text,
        date_of_birth -> Date,
        part -> Text,
        minutes -> Integer,
        given_on -> Date,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(sponsor_representatives -> sponsors (sponsor_id));
diesel::joinable!(preapprovals -> sponsors (sponsor_id));
diesel::joinable!(preapproval_presenters -> preapprovals (preapproval_id));
diesel::joinable!(preapproval_attendance -> preapprovals (preapproval_id));

diesel::allow_tables_to_appear_in_same_query!(
    people,
    accounts,
    one_time_tokens,
    refresh_tokens,
    outbox,
    throttle_events,
    throttle_buckets,
    audit_events,
    notification_reads,
    applications,
    application_elements,
    application_reminders,
    deficiencies,
    element_invitations,
    attachments,
    announcements,
    fees,
    payments,
    idempotency_keys,
    refunds,
    webhook_events,
    credentials,
    credential_name_prefixes,
    denials,
    external_identities,
    oidc_pending,
    unreferenced_objects,
    training_events,
    training_event_co_trainers,
    training_attendance,
    training_certificates,
    revocation_training_events,
    state_holidays,
    sponsors,
    sponsor_representatives,
    sponsor_findings,
    preapprovals,
    preapproval_presenters,
    preapproval_information_requests,
    preapproval_attendance,
    preapproval_certificates,
    presenter_years,
    training_agencies,
    agency_instruction,
);
