# kecs — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
# Where the PostgreSQL half of the tests runs (trust auth on a developer machine).
KECS_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
export KECS_TEST_POSTGRES_URL

.PHONY: run test lint openapi lint-openapi typescript-types pages-check fuzz-api bench check-domain-purity check-workflows-purity check-routes-use-workflows clean-db

## Build, migrate, record the demo people and serve on SQLite (./var/kecs.db)
## with Swagger UI at http://127.0.0.1:8080/swagger-ui/
run:
	$(CARGO) build --bin kecs
	$(CARGO) run -q --bin kecs -- seed-demo
	$(CARGO) run -q --bin kecs -- serve

## Every test: unit tests, and the API tests on SQLite and PostgreSQL.
## Without a reachable PostgreSQL (and outside CI) only the SQLite half runs,
## and this says so.
test: check-domain-purity check-workflows-purity check-routes-use-workflows
	@set -euo pipefail; \
	if $(CARGO) nextest --version >/dev/null 2>&1; then runner=nextest; else runner=test; fi; \
	if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -d "$$KECS_TEST_POSTGRES_URL"; then \
		echo "== tests on SQLite and PostgreSQL ($$KECS_TEST_POSTGRES_URL)"; \
		if [ $$runner = nextest ]; then $(CARGO) nextest run --workspace --no-fail-fast; \
		else $(CARGO) test --workspace --no-fail-fast; fi; \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "PostgreSQL is not reachable at $$KECS_TEST_POSTGRES_URL: in CI that is a failure." >&2; exit 1; \
	else \
		echo "== tests on SQLite only"; \
		if [ $$runner = nextest ]; then $(CARGO) nextest run --workspace --no-fail-fast -E 'not test(/::postgres::/)'; \
		else $(CARGO) test --workspace --no-fail-fast -- --skip ::postgres::; fi; \
		echo; \
		echo "!! The PostgreSQL half of the API tests did NOT run: nothing answered at $$KECS_TEST_POSTGRES_URL."; \
		echo "!! Start PostgreSQL (or point KECS_TEST_POSTGRES_URL at one) and run make test again."; \
	fi
	@$(CARGO) test -q --doc --workspace >/dev/null

## The domain crate stays free of IO: no database, web framework or runtime.
check-domain-purity:
	@for crate in diesel actix-web tokio r2d2 lettre object_store; do \
		if $(CARGO) tree -q -p kecs-domain -e normal -i $$crate >/dev/null 2>&1; then \
			echo "kecs-domain depends on $$crate: the domain must stay free of IO" >&2; exit 1; \
		fi; \
	done; echo "== kecs-domain is free of IO crates"

## The workflows know no HTTP: nothing under api/src/workflows names
## actix-web, utoipa or the HTTP tree (docs/ARCHITECTURE.md).
check-workflows-purity:
	@if grep -rnE '\b(actix_web|actix_multipart|utoipa|utoipa_actix_web|utoipa_swagger_ui)::|crate::http\b|use super::super::http' api/src/workflows; then \
		echo "api/src/workflows names HTTP (above): workflows must stay free of it" >&2; exit 1; \
	fi; echo "== api/src/workflows is free of HTTP"

## The HTTP tree reaches the database only through workflows: nothing under
## api/src/http names kecs_persistence (docs/ARCHITECTURE.md).
check-routes-use-workflows:
	@if grep -rn '\bkecs_persistence\b' api/src/http; then \
		echo "api/src/http names kecs_persistence (above): routes call workflows, which call persistence" >&2; exit 1; \
	fi; echo "== api/src/http calls persistence only through workflows"

## Formatting and clippy, as CI runs them.
lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Regenerate the committed contract from the code.
openapi:
	$(CARGO) run -q --bin kecs -- openapi > openapi.yaml

## Lint the contract as partners' tooling reads it: openapi-spec-validator
## and Redocly CLI, pinned, installed once (.ci/lint-openapi).
lint-openapi:
	.ci/lint-openapi openapi.yaml

## The TypeScript types a front end generates from openapi.yaml
## (openapi-typescript, pinned in .ci/typescript/): nothing untyped, and
## .ci/typescript/check.ts compiles against them. Installs its tools once.
typescript-types:
	.ci/typescript-types

## The mailed links' pages in headless Chromium with axe-core (installs
## Debian's chromium if missing, and the pinned npm packages of .ci/pages/).
pages-check:
	$(CARGO) build --bin kecs
	.ci/pages-check

## Schemathesis against the live server: requests generated from openapi.yaml,
## as an applicant and as an admin; no 5xx, every status and body as documented.
## Installs the pinned Schemathesis into .venv-schemathesis/ once.
fuzz-api:
	$(CARGO) build --bin kecs
	.ci/schemathesis

## Load numbers (release build, wrk, SQLite then PostgreSQL) and a timed
## expiry sweep; about ten minutes. Not part of `make test`. See docs/PERFORMANCE.md.
bench:
	bench/run

## Forget the local development database and mail.
clean-db:
	rm -rf var/
