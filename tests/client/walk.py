"""The applicant's whole story through a client generated from openapi.yaml.

A front end knows only the contract. This walk uses nothing else: the
Python client openapi-python-client generates from openapi.yaml (run by
.ci/client-walk, which starts the server and generates the client), with
its typed models for every request and response, every element's own data
type included. It registers, confirms the email, applies, fills every
element, has the employer verify through the mailed link, pays, is returned
as deficient and reads why, is refused resubmission until the cited element
is saved, resubmits, is denied and reads the reasons and the review deadline,
requests a review and reads the written order.

    python3 walk.py BASE_URL MAIL_DIR SPECIALIST ADMIN

SPECIALIST and ADMIN are `username:password` of staff accounts made with
`kecs staff add`. Exits non-zero at the first step that does not go as the
contract says.
"""

import datetime
import email
import email.policy
import json
import pathlib
import re
import sys
import time
import uuid

from kecs_client import AuthenticatedClient, Client
from kecs_client.api.accounts import confirm_email, create
from kecs_client.api.applications import (
    application_overview,
    character_and_fitness,
    get_element_experience,
    invite_submitter,
    put_element_attestation,
    put_element_co_training,
    put_element_coach_observation,
    put_element_continuing_education,
    put_element_credentials_held,
    put_element_education,
    put_element_experience,
    put_element_experience_verification,
    put_element_online_training_course,
    put_element_personal_information,
    put_element_required_trainings,
    put_element_seminar,
    put_element_seminar_waiver,
    put_element_specialty_license,
    put_element_topics,
    request_denial_review,
    request_types,
    resubmit_application,
    start_application,
)
from kecs_client.api.auth import login
from kecs_client.api.payments import confirm_payment, create_payment
from kecs_client.api.profile import put_profile
from kecs_client.api.review import (
    assign_application,
    decide_denial_review,
    deny_application,
    return_application,
    review_file,
    review_queue,
)
from kecs_client.models import (
    AnswersBody,
    AssignRequest,
    ApplicationOverviewBody,
    AttestationData,
    CharacterAndFitnessAnswerBody,
    CharacterAndFitnessRequest,
    ConfirmRequest,
    CredentialsHeldData,
    DecisionRequest,
    Deficiency,
    DegreeFieldName,
    DegreeLevelName,
    DegreeWire,
    DenialReason,
    DenialReviewRequest,
    DenyRequest,
    EducationData,
    ElementKeyName,
    ExperienceData,
    ExperienceVerificationData,
    InvitationRequest,
    LoginRequest,
    MailingAddressBody,
    PersonalInformationData,
    Problem,
    ProfileUpdate,
    RequestTypeName,
    RequiredTrainingsData,
    ReturnRequest,
    ReviewDecision,
    StartApplicationRequest,
    ThirdPartyBody,
    TokenRequest,
    TopicName,
    TopicsData,
)
from kecs_client.models.create_account_request import CreateAccountRequest

EMPLOYER = ThirdPartyBody(name="Sunshine Child Care Center", email="director@sunshine.example.org")

# Every element an applicant fills, with its own generated type: a Level 1
# application has some of them; an element the overview lists that is not
# here stops the walk.
ELEMENTS = {
    "personal_information": (
        put_element_personal_information,
        lambda: PersonalInformationData(high_school_diploma=True),
    ),
    "education": (
        put_element_education,
        lambda: EducationData(
            degrees=[DegreeWire(level=DegreeLevelName.ASSOCIATE, field=DegreeFieldName.ECE)],
            ece_credit_hours=12,
        ),
    ),
    "credentials_held": (
        put_element_credentials_held,
        lambda: CredentialsHeldData(cda_or_director_credential=False),
    ),
    "experience": (
        put_element_experience,
        lambda: ExperienceData(ece_experience_years=3.5, employer=EMPLOYER),
    ),
    "required_trainings": (
        put_element_required_trainings,
        lambda: RequiredTrainingsData(intro_training_clock_hours=2, data_system_training_clock_hours=2),
    ),
    "topics": (put_element_topics, lambda: TopicsData(topics=list(TopicName))),
    "attestation": (
        put_element_attestation,
        lambda: AttestationData(attested=True, signature="Jane Walker"),
    ),
}
# The rest are typed too; a Level 1 application does not have them.
OTHER_ELEMENTS = {
    put_element_co_training,
    put_element_coach_observation,
    put_element_continuing_education,
    put_element_online_training_course,
    put_element_seminar,
    put_element_seminar_waiver,
    put_element_specialty_license,
}


def fail(message):
    print(f"client walk: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def step(title):
    print(f"client walk: {title}")


def expect(reply, status, what, model=None):
    """The reply's parsed body, once its status is the one the story needs."""
    if reply.status_code != status:
        fail(f"{what}: expected {status}, got {reply.status_code}: {reply.content[:600]!r}")
    if model is not None and not isinstance(reply.parsed, model):
        fail(f"{what}: expected a {model.__name__}, got {type(reply.parsed).__name__}")
    return reply.parsed


def canonical(value):
    """A value with its lists in one order: the server keeps topics in the
    regulation's order, whatever order they were sent in."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((canonical(item) for item in value), key=json.dumps)
    return value


def problem_fields(reply):
    if not isinstance(reply.parsed, Problem):
        fail(f"expected a problem, got {reply.status_code}: {reply.content[:400]!r}")
    return sorted(error.field for error in (reply.parsed.errors or []))


class Mailbox:
    """The mail the server writes as files (`KECS_MAIL=file:DIR`)."""

    def __init__(self, directory):
        self.directory = pathlib.Path(directory)

    def link_token(self, to, subject_part, seconds=20):
        deadline = time.time() + seconds
        while time.time() < deadline:
            for path in sorted(self.directory.glob("*.eml")):
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if to in str(message["To"]) and subject_part in str(message["Subject"]):
                    found = re.search(r"token=([A-Za-z0-9_-]+)", message.get_content())
                    if found:
                        return found.group(1)
            time.sleep(0.2)
        fail(f"no mail to {to} with {subject_part!r} in its subject")


def signed_in(base, username, password):
    session = expect(
        login.sync_detailed(client=Client(base_url=base), body=LoginRequest(username=username, password=password)),
        200,
        f"sign-in of {username}",
    )
    return AuthenticatedClient(base_url=base, token=session.access_token)


def overview_of(applicant, application_id):
    return expect(
        application_overview.sync_detailed(application_id, client=applicant),
        200,
        "the overview",
        ApplicationOverviewBody,
    )


def main():
    if len(sys.argv) != 5:
        fail(__doc__)
    base, mail_dir, specialist_login, admin_login = sys.argv[1:]
    mailbox = Mailbox(mail_dir)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    anonymous = Client(base_url=base)
    suffix = uuid.uuid4().hex[:8]
    username, address = f"jwalker{suffix}", f"jane.walker.{suffix}@example.org"
    password = "Lantern-Harbour-Walk-31!"

    step("register, confirm the email, sign in, complete the profile")
    expect(
        create.sync_detailed(
            client=anonymous,
            body=CreateAccountRequest(
                username=username,
                email=address,
                password=password,
                password_confirmation=password,
                first_name="Jane",
                last_name="Walker",
                date_of_birth=datetime.date(1984, 6, 2),
                ssn=f"6{int(suffix, 16) % 10**8:08d}",
            ),
        ),
        201,
        "a new account",
    )
    token = mailbox.link_token(address, "onfirm")
    expect(confirm_email.sync_detailed(client=anonymous, body=TokenRequest(token=token)), 204, "confirming the email")
    applicant = signed_in(base, username, password)
    expect(
        put_profile.sync_detailed(
            client=applicant,
            body=ProfileUpdate(
                email=address,
                mailing_address=MailingAddressBody(
                    line1="275 E Main St", city="Frankfort", state="KY", postal_code="40621"
                ),
                phone="(502) 555-0123",
            ),
        ),
        200,
        "the profile",
    )

    step("apply for Level 1 and fill every element with its own type")
    catalogue = expect(request_types.sync_detailed(client=anonymous), 200, "the request types")
    started = expect(
        start_application.sync_detailed(
            client=applicant,
            body=StartApplicationRequest(
                request_types=[RequestTypeName.NEW_LEVEL_1],
                answers=AnswersBody(first_time_applicant=True, conducts_online_training=False),
            ),
        ),
        201,
        "a new application",
        ApplicationOverviewBody,
    )
    application_id = started.id
    filled = []
    for element in started.elements:
        key = element.key.value
        if element.submitted_by != "applicant" or key == "character_and_fitness":
            continue
        if key not in ELEMENTS:
            fail(f"the overview lists {key}, which this walk does not fill")
        operation, data = ELEMENTS[key]
        saved = expect(
            operation.sync_detailed(application_id, client=applicant, body=data()),
            200,
            f"saving {key}",
        )
        # The response is the element's own type, its data the type sent.
        if type(saved.data) is not type(data()) or canonical(saved.data.to_dict()) != canonical(data().to_dict()):
            fail(f"{key}: saved {saved.data!r}, sent {data()!r}")
        filled.append(key)
    if not {"personal_information", "experience", "topics", "attestation"} <= set(filled):
        fail(f"filled only {filled}")
    read = expect(get_element_experience.sync_detailed(application_id, client=applicant), 200, "reading experience")
    if not isinstance(read.data, ExperienceData) or read.data.employer.email != EMPLOYER.email:
        fail(f"experience read back: {read.data!r}")

    step("the employer named in experience verifies it through the mailed link")
    expect(
        # No name or address: it goes to the employer named in experience.
        # (The generated client sends an unset optional body as invalid
        # JSON, so an empty one is passed.)
        invite_submitter.sync_detailed(
            application_id, ElementKeyName.EXPERIENCE_VERIFICATION, client=applicant, body=InvitationRequest()
        ),
        202,
        "inviting the employer",
    )
    link = mailbox.link_token(EMPLOYER.email, "asks you to complete")
    employer = AuthenticatedClient(base_url=base, token=link, prefix="", auth_header_name="Invitation-Token")
    verified = expect(
        put_element_experience_verification.sync_detailed(
            application_id,
            client=employer,
            body=ExperienceVerificationData(verified=True, ece_experience_years=3.5, verifier_name="Pat Director"),
        ),
        200,
        "the employer's verification",
    )
    if verified.applicant_name != "Jane Walker" or verified.status != "complete":
        fail(f"the employer's element: {verified.to_dict()}")

    answers = [
        CharacterAndFitnessAnswerBody(key=question.key, answer=False)
        for question in catalogue.character_and_fitness_questions
    ]
    expect(
        character_and_fitness.sync_detailed(
            application_id, client=applicant, body=CharacterAndFitnessRequest(answers=answers)
        ),
        200,
        "Character & Fitness",
    )
    if not overview_of(applicant, application_id).ready_for_payment:
        fail("every element is complete, yet the application is not ready for payment")

    step("pay: the payment submits the application")
    payment = expect(
        create_payment.sync_detailed(application_id, client=applicant, idempotency_key=f"walk-{application_id}"),
        201,
        "a payment",
    )
    paid = expect(
        confirm_payment.sync_detailed(payment.id, client=applicant, body=ConfirmRequest(payment_method="pm_card_visa")),
        200,
        "confirming the payment",
    )
    if paid.status != "succeeded" or overview_of(applicant, application_id).status != "submitted":
        fail(f"paid {paid.status}, application {overview_of(applicant, application_id).status}")

    step("a specialist finds it in the queue, takes it and returns it as deficient")
    specialist = signed_in(base, *specialist_login.split(":", 1))
    admin = signed_in(base, *admin_login.split(":", 1))
    queue = expect(review_queue.sync_detailed(client=specialist), 200, "the review queue")
    queued = [item for item in queue.items if item.id == application_id]
    if not queued or queued[0].applicant_name != "Jane Walker":
        fail(f"the queue: {queue.to_dict()}")
    expect(assign_application.sync_detailed(application_id, client=specialist, body=AssignRequest()), 200, "assigning")
    # The file shows every element, each entry's data in its element's type.
    on_file = expect(review_file.sync_detailed(application_id, client=specialist), 200, "the review file")
    typed = {entry.key.value if hasattr(entry.key, "value") else entry.key: entry.data for entry in on_file.element_data}
    if not isinstance(typed.get("topics"), TopicsData) or not isinstance(typed.get("experience"), ExperienceData):
        fail(f"the review file's data: {[(k, type(v).__name__) for k, v in typed.items()]}")
    lack = "Name the topics you will train in, one by one."
    expect(
        return_application.sync_detailed(
            application_id,
            client=specialist,
            body=ReturnRequest(deficiencies=[Deficiency(element="topics", message=lack)]),
        ),
        200,
        "returning as deficient",
    )

    step("the applicant reads why, and is refused resubmission until the cited element is saved")
    returned = overview_of(applicant, application_id)
    open_ones = [d for d in returned.deficiencies if not d.resolved_at]
    if returned.status != "deficient" or [(d.element.value, d.message) for d in open_ones] != [("topics", lack)]:
        fail(f"the returned overview: {returned.status}, {[d.to_dict() for d in returned.deficiencies]}")
    topics = next(e for e in returned.elements if e.key == ElementKeyName.TOPICS)
    if [d.message for d in topics.deficiencies] != [lack]:
        fail(f"the topics element: {topics.to_dict()}")
    expect(
        character_and_fitness.sync_detailed(
            application_id, client=applicant, body=CharacterAndFitnessRequest(answers=answers)
        ),
        200,
        "Character & Fitness again",
    )
    early = resubmit_application.sync_detailed(application_id, client=applicant)
    if early.status_code != 422 or early.parsed.code != "deficiencies_not_addressed":
        fail(f"resubmitting unfixed: {early.status_code} {early.content[:400]!r}")
    if problem_fields(early) != ["topics"]:
        fail(f"resubmitting unfixed names {problem_fields(early)}")
    expect(
        put_element_topics.sync_detailed(application_id, client=applicant, body=ELEMENTS["topics"][1]()),
        200,
        "saving topics again",
    )
    resubmitted = expect(resubmit_application.sync_detailed(application_id, client=applicant), 200, "resubmitting")
    if resubmitted.status != "submitted":
        fail(f"resubmitted: {resubmitted.to_dict()}")

    step("denied: the applicant reads the reasons and until when a review may be asked for")
    assigned = assign_application.sync_detailed(application_id, client=specialist, body=AssignRequest())
    if assigned.status_code not in (200, 409):
        fail(f"taking it again: {assigned.status_code} {assigned.content[:300]!r}")
    reason = DenialReason(citation="922 KAR 2:240 Section 5(1)", message="Under three years of experience.")
    expect(
        deny_application.sync_detailed(application_id, client=specialist, body=DenyRequest(reasons=[reason])),
        200,
        "denying",
    )
    denial = overview_of(applicant, application_id).denial
    if denial is None or [(r.citation, r.message) for r in denial.reasons] != [(reason.citation, reason.message)]:
        fail(f"the denial read: {denial}")
    if denial.review_request_by != today + datetime.timedelta(days=10):
        fail(f"a review may be asked for until {denial.review_request_by}, not today + 10 days (Sec. 14(3)(b))")
    if denial.next_step.kind.value != "review_may_be_requested":
        fail(f"next step: {denial.next_step.to_dict()}")

    step("the applicant requests a review; the order is written and read")
    expect(
        request_denial_review.sync_detailed(
            application_id,
            client=applicant,
            body=DenialReviewRequest(statement="My employer's letter shows three and a half years."),
        ),
        201,
        "requesting a review",
    )
    order = "The denial stands: the experience shown is under three years."
    expect(
        decide_denial_review.sync_detailed(
            application_id, client=admin, body=DecisionRequest(decision=ReviewDecision.UPHELD, order=order)
        ),
        200,
        "the written order",
    )
    review = overview_of(applicant, application_id).denial.review
    if review is None or review.order != order or review.decision != ReviewDecision.UPHELD:
        fail(f"the review read: {review}")
    step(f"done: {len(filled) + 1} elements typed and saved, application {application_id}")


if __name__ == "__main__":
    main()
