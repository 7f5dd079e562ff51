#!/usr/bin/env python3
"""The benchmark's API client (standard library only).

  client.py applicant BASE MAILDIR NAME   -> prints "TOKEN APPLICATION_ID"
      registers NAME, confirms the email from the .eml in MAILDIR, completes
      the profile and starts a Level 1 application.
  client.py walks BASE MAILDIR TOKEN N WORKERS -> prints "walks/s p50_ms p99_ms"
      N times, WORKERS at once: apply -> fill every element (the employer's
      through its mailed link) -> Character & Fitness -> payment -> confirm,
      which submits the application.
  client.py training BASE MAILDIR TRAINER PASSWORD EVENTS ROSTER TRAININGS
      -> prints "p50_ms p99_ms trainees/s TRAINEE_TOKEN"
      signs in as TRAINER (seed-demo's demo trainer), enters a roster of
      ROSTER new participants on each of EVENTS trainings that ended
      yesterday (one request a roster, timed), then registers a trainee and
      enters them on TRAININGS more, for a transcript of that many.
"""
import concurrent.futures
import email
import email.policy
import http.client
import json
import pathlib
import re
import sys
import threading
import time
import urllib.parse

PASSWORD = "Bench-Otter-Lighthouse-81!"
TOPICS = ["child_growth_and_development", "health_safety_nutrition", "professional_development",
          "learning_environments_and_curriculum", "child_assessments",
          "family_and_community_partnerships", "program_management_and_evaluation"]
CF_KEYS = ["criminal_conviction", "pending_charges", "child_abuse_or_neglect_finding",
           "trainer_credential_revoked", "credential_denied_or_disciplined_elsewhere",
           "falsified_record", "training_requirements_violation", "records_confidentiality_breach"]

_local = threading.local()


def call(base, method, path, token=None, body=None, headers=None, expect=(200, 201, 202, 204)):
    url = urllib.parse.urlparse(base)
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    h = {"content-type": "application/json"}
    if token:
        h["authorization"] = f"Bearer {token}"
    h.update(headers or {})
    data = None if body is None else json.dumps(body)
    try:
        conn.request(method, path, body=data, headers=h)
        reply = conn.getresponse()
    except (http.client.HTTPException, OSError):
        _local.conn = None
        conn.close()
        raise
    text = reply.read()
    if reply.status not in expect:
        raise RuntimeError(f"{method} {path}: {reply.status} {text[:300]!r}")
    return json.loads(text) if text else None


def mail_token(maildir, recipient, subject_part, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(pathlib.Path(maildir).glob("*.eml")):
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                continue  # another walker took its own mail meanwhile
            if recipient.encode() not in raw:
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            if recipient in str(message["To"]) and subject_part in str(message["Subject"]):
                match = re.search(r"token=([A-Za-z0-9_-]+)", message.get_content())
                if match:
                    path.unlink()  # keep the directory small for later scans
                    return match.group(1)
        time.sleep(0.05)
    raise RuntimeError(f"no mail '{subject_part}' to {recipient} within {timeout} s")


def start_level_1(base, token):
    return call(base, "POST", "/api/v1/applications", token,
                {"request_types": ["new_level_1"],
                 "answers": {"first_time_applicant": True, "conducts_online_training": False}})


def applicant(base, maildir, name):
    mail = f"{name}@example.org"
    ssn = f"7{abs(hash(name)) % 60 + 10:02d}-{abs(hash(name + 'g')) % 89 + 10:02d}-{abs(hash(name + 's')) % 8999 + 1000:04d}"
    reply = call(base, "POST", "/api/v1/accounts", None, {
        "username": name, "email": mail, "password": PASSWORD, "password_confirmation": PASSWORD,
        "first_name": "Bench", "last_name": "Runner", "date_of_birth": "1985-04-03", "ssn": ssn})
    token = reply["access_token"]
    call(base, "POST", "/api/v1/accounts/confirm-email", None,
         {"token": mail_token(maildir, mail, "onfirm")})
    call(base, "PUT", "/api/v1/me/profile", token, {
        "email": mail, "phone": "(502) 555-0123",
        "mailing_address": {"line1": "275 E Main St", "city": "Frankfort", "state": "KY",
                            "postal_code": "40621"}})
    return token, start_level_1(base, token)["id"]


def walk(base, maildir, token, n):
    app = start_level_1(base, token)["id"]
    employer = f"employer-{n}-{app[:8]}@example.org"

    def put(key, body):
        call(base, "PUT", f"/api/v1/applications/{app}/elements/{key}", token, body)
    put("personal_information", {"high_school_diploma": True})
    put("required_trainings", {"intro_training_clock_hours": 2, "data_system_training_clock_hours": 2})
    put("topics", {"topics": TOPICS})
    put("experience", {"ece_experience_years": 3, "employer": {"name": "Employer", "email": employer}})
    put("attestation", {"attested": True, "signature": "Bench Runner"})
    call(base, "POST", f"/api/v1/applications/{app}/elements/experience_verification/invitation",
         token, {"name": "Employer", "email": employer})
    link = mail_token(maildir, employer, "asks you to complete")
    call(base, "PUT", f"/api/v1/applications/{app}/elements/experience_verification", None,
         {"verified": True, "ece_experience_years": 3, "verifier_name": "Pat Director"},
         headers={"invitation-token": link})
    call(base, "PUT", f"/api/v1/applications/{app}/character-and-fitness", token,
         {"answers": [{"key": k, "answer": False} for k in CF_KEYS]})
    payment = call(base, "POST", f"/api/v1/applications/{app}/payments", token, {},
                   headers={"idempotency-key": f"bench-{app}"})
    paid = call(base, "POST", f"/api/v1/payments/{payment['id']}/confirm", token,
                {"payment_method": "pm_card_visa"})
    if paid["status"] != "succeeded":
        raise RuntimeError(f"payment {paid}")


def walks(base, maildir, token, count, workers):
    timings = []

    def one(n):
        started = time.perf_counter()
        walk(base, maildir, token, n)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - started
    timings.sort()
    pct = lambda p: timings[min(len(timings) - 1, int(p * len(timings)))] * 1000
    print(f"{count / elapsed:.2f} {pct(0.5):.1f} {pct(0.99):.1f}")


FIRSTS = ["Ava", "Ben", "Carla", "Dmitri", "Elena", "Farah", "Gus", "Hana", "Ivan", "June",
          "Kofi", "Lena", "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tia"]
LASTS = ["Adams", "Baker", "Clark", "Davis", "Evans", "Foster", "Garcia", "Hughes", "Ito",
         "Johnson", "King", "Lopez", "Miller", "Nguyen", "Owens", "Patel", "Reed", "Smith",
         "Turner", "Walker", "Young", "Zimmer", "Brooks", "Carter", "Dunn"]


def training_event(base, token, number, title):
    ended = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
    return call(base, "POST", "/api/v1/training-events", token, {
        "title": title, "sponsor": "Frankfort Child Care Council", "starts_on": ended,
        "ends_on": ended, "minutes": 180, "delivery": {"face_to_face": True},
        "topics": ["health_safety_nutrition", "child_growth_and_development"],
        "purposes": ["child_care_training_requirements"], "credential_number": number,
        "county": "Franklin"})["id"]


def participant(first, last, born):
    return {"first_name": first, "last_name": last, "date_of_birth": born, "ssn_last4": None,
            "employer": {"name": "Little Acorns", "works_at_trainers_centre": False,
                         "head_start_program": False}}


def training(base, maildir, trainer, password, events, roster, trainings):
    token = call(base, "POST", "/api/v1/auth/login", None,
                 {"username": trainer, "password": password})["access_token"]
    number = call(base, "GET", "/api/v1/me/credentials", token)["items"][0]["number"]
    trainees = [participant(FIRSTS[i % 20], LASTS[(i // 20) % 25],
                            f"{1970 + i % 30}-{1 + i % 12:02d}-{1 + i % 28:02d}")
                for i in range(roster)]
    timings = []
    for n in range(events):
        event = training_event(base, token, number, f"Bench conference {n}")
        started = time.perf_counter()
        call(base, "POST", f"/api/v1/training-events/{event}/attendance", token,
             {"trainees": trainees})
        timings.append(time.perf_counter() - started)
    timings.sort()
    pct = lambda p: timings[min(len(timings) - 1, int(p * len(timings)))] * 1000
    rate = roster * len(timings) / sum(timings)

    name = f"trainee{int(time.time())}"
    mail = f"{name}@example.org"
    reply = call(base, "POST", "/api/v1/accounts", None, {
        "username": name, "email": mail, "password": PASSWORD, "password_confirmation": PASSWORD,
        "first_name": "Tess", "last_name": "Trainee", "date_of_birth": "1991-02-03",
        "ssn": "302-11-4321"})
    trainee = reply["access_token"]
    call(base, "POST", "/api/v1/accounts/confirm-email", None,
         {"token": mail_token(maildir, mail, "onfirm")})
    me = participant("Tess", "Trainee", "1991-02-03")
    me["ssn_last4"] = "4321"
    for n in range(trainings):
        event = training_event(base, token, number, f"Bench training {n}")
        entered = call(base, "POST", f"/api/v1/training-events/{event}/attendance", token,
                       {"trainees": [me]})
        if not entered["items"][0]["matched"]:
            raise RuntimeError(f"the trainee was not matched: {entered}")
    hours = call(base, "GET", "/api/v1/me/transcript", trainee)
    if len(hours["trainings"]) != trainings:
        raise RuntimeError(f"the transcript has {len(hours['trainings'])} trainings, not {trainings}")
    print(f"{pct(0.5):.1f} {pct(0.99):.1f} {rate:.0f} {trainee}")


if __name__ == "__main__":
    command, base, maildir = sys.argv[1:4]
    if command == "applicant":
        print(*applicant(base, maildir, sys.argv[4]))
    elif command == "walks":
        walks(base, maildir, sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    elif command == "training":
        print(training(base, maildir, sys.argv[4], sys.argv[5], *map(int, sys.argv[6:9])) or "",
              end="")
    else:
        sys.exit(f"unknown command {command}")
