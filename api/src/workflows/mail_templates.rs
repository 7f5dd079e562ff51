//! The words of the mails we send. Links point at the front end
//! (`KECS_PUBLIC_URL`), which posts the token back to the API.

pub struct Mail {
    pub subject: String,
    pub body: String,
}

pub fn confirm_email(public_url: &str, first_name: &str, token: &str) -> Mail {
    Mail {
        subject: "Confirm your email address".to_owned(),
        body: format!(
            "Hello {first_name},\n\nPlease confirm your account by opening this link:\n\n\
             {public_url}/confirm-email?token={token}\n\n\
             The link works once and expires in 48 hours. If you did not register for a \
             Kentucky Early Care and Education Trainer's Credential account, ignore this message.\n"
        ),
    }
}

pub fn forgot_username(username: &str) -> Mail {
    Mail {
        subject: "Your username".to_owned(),
        body: format!(
            "You asked for the username of your trainer's credential account.\n\n\
             Username: {username}\n\nIf you did not ask, you can ignore this message.\n"
        ),
    }
}

pub fn reset_password(public_url: &str, token: &str) -> Mail {
    Mail {
        subject: "Reset your password".to_owned(),
        body: format!(
            "Someone asked to reset the password of your trainer's credential account.\n\n\
             To choose a new password, open this link within one hour:\n\n\
             {public_url}/reset-password?token={token}\n\n\
             If it was not you, ignore this message; your password is unchanged.\n"
        ),
    }
}

pub fn password_changed() -> Mail {
    Mail {
        subject: "Your password was changed".to_owned(),
        body: "The password of your trainer's credential account was just changed and every \
               signed-in session was ended.\n\nIf this was not you, reset your password at once \
               and contact the cabinet.\n"
            .to_owned(),
    }
}

pub fn email_changed(new_email: &str) -> Mail {
    Mail {
        subject: "Your email address was changed".to_owned(),
        body: format!(
            "The email address of your trainer's credential account was changed to {new_email}.\n\n\
             If this was not you, contact the cabinet at once.\n"
        ),
    }
}

pub fn expiry_reminder(application_id: &str, days: i64, expires_at: &str) -> Mail {
    Mail {
        subject: format!("Your application expires in {days} days"),
        body: format!(
            "Your trainer's credential application {application_id} has not been paid yet.\n\n\
             Applications are submitted only once payment is received; an application not paid \
             within 90 days of being started expires. This one expires on {expires_at} (UTC).\n\n\
             Complete every required element and proceed to payment before then, or a new \
             application will have to be completed.\n"
        ),
    }
}

pub fn application_expired(application_id: &str) -> Mail {
    Mail {
        subject: "Your application has expired".to_owned(),
        body: format!(
            "Your trainer's credential application {application_id} was not paid within 90 days \
             of being started and has expired. A new application will have to be completed.\n"
        ),
    }
}

pub fn element_invitation(
    public_url: &str,
    invitee: &str,
    applicant: &str,
    element: &str,
    token: &str,
) -> Mail {
    Mail {
        subject: format!(
            "{applicant} asks you to complete part of a trainer's credential application"
        ),
        body: format!(
            "Hello {invitee},\n\n{applicant} is applying for a Kentucky Early Care and Education \
             Trainer's Credential and has named you to complete this part of the application: \
             {element}.\n\nOpen this link to see what is asked and submit it (no account needed):\n\n\
             {public_url}/submit-element?token={token}\n\nThe link works once and expires in 30 days. \
             If you do not know {applicant}, ignore this message.\n"
        ),
    }
}

pub fn element_submitted(element: &str, by: &str) -> Mail {
    Mail {
        subject: format!("{element} was submitted"),
        body: format!(
            "{by} has submitted the {element} element of your trainer's credential application.\n"
        ),
    }
}

pub fn returned_as_deficient(application_id: &str, deficiencies: &[(String, String)]) -> Mail {
    let list: Vec<String> = deficiencies
        .iter()
        .map(|(element, message)| format!("- {element}: {message}"))
        .collect();
    Mail {
        subject: "Your application needs changes".to_owned(),
        body: format!(
            "Your trainer's credential application {application_id} was returned as deficient:\n\n{}\n\n\
             Correct these elements, enter your Character & Fitness answers again, and resubmit; \
             you will not be charged again.\n",
            list.join("\n")
        ),
    }
}

pub fn application_submitted(application_id: &str, amount: &str) -> Mail {
    Mail {
        subject: "Your application was submitted".to_owned(),
        body: format!(
            "We received your payment of {amount} and your trainer's credential application \
             {application_id} is submitted. Its status will change to Pending Review once a \
             certification specialist is assigned.\n"
        ),
    }
}

pub fn pending_review(application_id: &str) -> Mail {
    Mail {
        subject: "Your application is pending review".to_owned(),
        body: format!(
            "A certification specialist has been assigned to your trainer's credential application {application_id}.\n"
        ),
    }
}

/// Where the holder downloads the letter of approval: the front end's page
/// (`KECS_PUBLIC_URL`), which signs them in and fetches
/// `GET /api/v1/credentials/{number}/letter`.
fn letter_link(public_url: &str, number: &str) -> String {
    format!("{public_url}/credentials/{number}/letter")
}

pub fn approved(public_url: &str, number: &str, level: &str, expires_on: &str) -> Mail {
    let letter = letter_link(public_url, number);
    Mail {
        subject: "Your trainer's credential was approved".to_owned(),
        body: format!(
            "Congratulations: you have been awarded the Kentucky Early Care and Education Trainer's \
             Credential, {level}, number {number}. It expires on {expires_on}.\n\n\
             Your letter of approval:\n\n{letter}\n"
        ),
    }
}

pub fn denied(application_id: &str, reasons: &[(String, String)], review_by: &str) -> Mail {
    let list: Vec<String> = reasons
        .iter()
        .map(|(citation, message)| format!("- {message} ({citation})"))
        .collect();
    Mail {
        subject: "Your application was denied".to_owned(),
        body: format!(
            "Your trainer's credential application {application_id} was denied for these reasons:\n\n{}\n\n\
             You may request a review of this decision until {review_by} \
             (922 KAR 2:240 Section 14(3)).\n",
            list.join("\n")
        ),
    }
}

pub fn resubmitted(application_id: &str) -> Mail {
    Mail {
        subject: "Your application was resubmitted".to_owned(),
        body: format!(
            "Your corrected trainer's credential application {application_id} is back with the \
             certification specialists. It is not paid for again.\n"
        ),
    }
}

pub fn renewed(public_url: &str, number: &str, level: &str, expires_on: &str) -> Mail {
    let letter = letter_link(public_url, number);
    Mail {
        subject: "Your trainer's credential was renewed".to_owned(),
        body: format!(
            "Your Kentucky Early Care and Education Trainer's Credential, {level}, number {number}, \
             was renewed (922 KAR 2:240 Section 13(6)). It now expires on {expires_on}.\n\n\
             Your letter of approval:\n\n{letter}\n"
        ),
    }
}

pub fn denial_review_extended(application_id: &str, reason: &str, until: &str) -> Mail {
    Mail {
        subject: "The review of your denial needs more time".to_owned(),
        body: format!(
            "The review of the denial of your application {application_id} needs more time \
             (922 KAR 2:240 Section 14(3)(c)): {reason}\n\nThe written order is now expected by {until}.\n"
        ),
    }
}

pub fn denial_review_decided(application_id: &str, overturned: bool, order: &str) -> Mail {
    let outcome = if overturned {
        "The denial is overturned and the credential is awarded."
    } else {
        "The denial is upheld."
    };
    Mail {
        subject: "The review of your denial is decided".to_owned(),
        body: format!(
            "The commissioner's designee has reviewed the denial of your application {application_id}. \
             {outcome}\n\nThe written order:\n\n{order}\n\n\
             You shall abide by the order (922 KAR 2:240 Section 14(3)(d)).\n"
        ),
    }
}

pub fn revoked(number: &str, ground: &str, citation: &str, reapply_on: &str) -> Mail {
    Mail {
        subject: "Your trainer's credential was revoked".to_owned(),
        body: format!(
            "Your Kentucky Early Care and Education Trainer's Credential {number} was revoked \
             because the trainer {ground} ({citation}).\n\n\
             You may request a hearing pursuant to 922 KAR 2:260, or apply again for a credential \
             from {reapply_on} (922 KAR 2:240 Section 15(2)).\n"
        ),
    }
}

pub fn credential_expiry_reminder(
    number: &str,
    days: u32,
    expires_on: &str,
    renewable: bool,
) -> Mail {
    let next = if renewable {
        "Renew it before then: start a renewal application from your dashboard (922 KAR 2:240 Section 13)."
    } else {
        "A Level 1 credential is not renewable (922 KAR 2:240 Section 13(1)(b)); you may apply for a higher level."
    };
    Mail {
        subject: format!("Your trainer's credential expires in {days} days"),
        body: format!(
            "Your Kentucky Early Care and Education Trainer's Credential {number} expires on \
             {expires_on}.\n\n{next}\n"
        ),
    }
}

pub fn credential_expired(number: &str) -> Mail {
    Mail {
        subject: "Your trainer's credential has expired".to_owned(),
        body: format!(
            "Your Kentucky Early Care and Education Trainer's Credential {number} has expired.\n"
        ),
    }
}

/// Sec. 12(1)(a): the ten days to enter attendance end soon.
pub fn attendance_due_soon(title: &str, event_id: &str, due_on: &str) -> Mail {
    Mail {
        subject: "Enter the attendance of your training".to_owned(),
        body: format!(
            "The attendance of your training \"{title}\" (event {event_id}) has not been entered \
             yet.\n\n922 KAR 2:240 Section 12(1)(a) requires training attendance and trainees to \
             be entered within ten days of the training: by {due_on}.\n"
        ),
    }
}

/// Sec. 12(1)(a): the ten days ended without attendance.
pub fn attendance_overdue(title: &str, event_id: &str, due_on: &str) -> Mail {
    Mail {
        subject: "The attendance of your training is overdue".to_owned(),
        body: format!(
            "The attendance of your training \"{title}\" (event {event_id}) was due by {due_on} \
             and has not been entered.\n\n922 KAR 2:240 Section 12(1)(a) requires it within ten \
             days of the training; enter it now. Attendance entered late is recorded as late and \
             the cabinet sees it.\n"
        ),
    }
}

/// The front end's page of a certificate, for its holder (it fetches
/// `GET /api/v1/me/certificates/{number}` with the holder's token).
pub fn certificate_page(public_url: &str, number: &str) -> String {
    format!("{public_url}/certificates/{number}")
}

/// The front end's public page confirming a certificate (it reads
/// `GET /api/v1/public/certificates/{number}`); printed on the certificate.
pub fn certificate_verification_page(public_url: &str, number: &str) -> String {
    format!("{public_url}/certificates/{number}/verify")
}

/// Sec. 12(2): the trainer signed the trainee's certificate of training.
pub fn certificate_issued(public_url: &str, training_name: &str, number: &str) -> Mail {
    Mail {
        subject: "Your certificate of training".to_owned(),
        body: format!(
            "Your certificate of training for \"{training_name}\" was issued: number {number}.\n\n\
             Download it from your account: {}\n\
             Anyone can confirm it at {}\n\n\
             922 KAR 2:240 Section 12(2).\n",
            certificate_page(public_url, number),
            certificate_verification_page(public_url, number),
        ),
    }
}

// ---- training approval (Sec. 16) ------------------------------------------

pub fn sponsor_representative_added(sponsor: &str) -> Mail {
    Mail {
        subject: "You now represent a sponsoring organisation".to_owned(),
        body: format!(
            "You were added as a representative of the sponsoring organisation {sponsor}. \
             You may apply for preapproval of its training events and follow its applications.\n"
        ),
    }
}

pub fn sponsor_barred(sponsor: &str, finding: &str, until: &str) -> Mail {
    Mail {
        subject: "Preapproval of your training is barred for two years".to_owned(),
        body: format!(
            "The cabinet found that {sponsor} did not comply with 922 KAR 2:240 Section 17:\n\n\
             {finding}\n\n\
             Preapproval of its future training is denied until {until} \
             (922 KAR 2:240 Section 16(10)).\n"
        ),
    }
}

pub fn preapproval_received(title: &str, id: &str, due: &str) -> Mail {
    Mail {
        subject: "Your preapproval application was received".to_owned(),
        body: format!(
            "The cabinet received your application {id} for preapproval of \"{title}\". \
             It decides within ten working days of receiving a complete application, by {due} \
             (922 KAR 2:240 Section 16(2)).\n"
        ),
    }
}

pub fn preapproval_information_requested(title: &str, id: &str, message: &str) -> Mail {
    Mail {
        subject: "The cabinet needs more information for preapproval".to_owned(),
        body: format!(
            "Before it can decide your application {id} for preapproval of \"{title}\", the \
             cabinet asks:\n\n{message}\n\n\
             The ten working days of 922 KAR 2:240 Section 16(2) wait until you answer \
             (POST /api/v1/preapprovals/{id}/information).\n"
        ),
    }
}

pub fn preapproval_approved(title: &str, id: &str, expires_on: Option<&str>) -> Mail {
    let expiry = expires_on.map_or_else(String::new, |on| {
        format!(
            " The approval of an online training expires on {on} \
             (922 KAR 2:240 Section 16(7))."
        )
    });
    Mail {
        subject: "Your training event is preapproved".to_owned(),
        body: format!(
            "The cabinet approved your application {id}: \"{title}\" is preapproved, for this \
             event and its presenters only (922 KAR 2:240 Section 16(5)).{expiry}\n\n\
             Keep the records of Section 17: the trainees, each with their employer at the time \
             of training, and a copy of the application.\n"
        ),
    }
}

pub fn preapproval_denied(
    title: &str,
    id: &str,
    reasons: &[(String, String)],
    review_by: &str,
) -> Mail {
    let listed: String = reasons
        .iter()
        .map(|(citation, message)| format!("- {message} ({citation})\n"))
        .collect();
    Mail {
        subject: "Your preapproval application was denied".to_owned(),
        body: format!(
            "The cabinet denied your application {id} for preapproval of \"{title}\":\n\n\
             {listed}\n\
             You may ask for a review by the commissioner's designee until {review_by} \
             (922 KAR 2:240 Section 16(9) and 14(3)(b)): \
             POST /api/v1/preapprovals/{id}/review-request.\n"
        ),
    }
}

pub fn preapproval_review_decided(title: &str, id: &str, overturned: bool, order: &str) -> Mail {
    let outcome = if overturned {
        "The denial is overturned: the event is preapproved."
    } else {
        "The denial is upheld."
    };
    Mail {
        subject: "The review of your preapproval denial is decided".to_owned(),
        body: format!(
            "The commissioner's designee has reviewed the denial of your application {id} for \
             preapproval of \"{title}\". {outcome}\n\nThe written order:\n\n{order}\n\n\
             You shall abide by the order (922 KAR 2:240 Section 14(3)(d)).\n"
        ),
    }
}

// ---- training agencies (Sec. 18) ------------------------------------------

pub fn agency_received(name: &str, id: &str, due: &str) -> Mail {
    Mail {
        subject: "Your training agency application was received".to_owned(),
        body: format!(
            "The cabinet received the DCC-203 of {name} (application {id}). It decides within 45 \
             days of receipt, by {due} (922 KAR 2:240 Section 18(1)(b)).\n"
        ),
    }
}

pub fn agency_decided(name: &str, id: &str, approved: bool, reasons: &str) -> Mail {
    let outcome = if approved {
        "is approved: it is on the list of cabinet-approved training agencies (922 KAR 2:240 \
         Section 18(1)(c)) and may provide the instruction of Section 18(3)"
    } else {
        "is not approved"
    };
    Mail {
        subject: if approved {
            "Your training agency is cabinet-approved".to_owned()
        } else {
            "Your training agency application was denied".to_owned()
        },
        body: format!(
            "The application {id} of {name} {outcome}.\n\nThe cabinet's reasons:\n\n{reasons}\n"
        ),
    }
}

pub fn preapproval_review_extended(title: &str, id: &str, reason: &str, until: &str) -> Mail {
    Mail {
        subject: "The review of your preapproval denial is extended".to_owned(),
        body: format!(
            "The review of the denial of your application {id} for preapproval of \"{title}\" \
             needs more time because:\n\n{reason}\n\n\
             The written order will be issued by {until} (922 KAR 2:240 Section 14(3)(c)).\n"
        ),
    }
}
