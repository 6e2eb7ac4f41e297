//! The `hearth` binary: migrations, tenants, start-up refusals, first-run hint.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use crate::backend_tests;
use crate::helpers::{TestBackend, TestDatabase};

/// A `hearth` command with a clean environment (no developer's HEARTH_* leaks in).
fn hearth(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    hearth(args, env).output().expect("run hearth")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn migrate_is_idempotent(backend: TestBackend) {
    let db = TestDatabase::create(backend);
    let out = run(&["migrate"], &[("DATABASE_URL", &db.url)]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "database is up to date"
    );
}

async fn tenant_create_validates_and_refuses_duplicates(backend: TestBackend) {
    let db = TestDatabase::create(backend);
    let env = [("DATABASE_URL", db.url.as_str())];
    let create = |slug: &str| {
        run(
            &[
                "tenant",
                "create",
                "--slug",
                slug,
                "--name",
                "Green Valley",
                "--currency",
                "eur",
                "--timezone",
                "Europe/Berlin",
                "--registration",
                "open",
            ],
            &env,
        )
    };
    let ok = create("green-valley");
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("created tenant green-valley"));

    let again = create("green-valley");
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    let bad = run(
        &[
            "tenant",
            "create",
            "--slug",
            "No Spaces!",
            "--name",
            "X",
            "--currency",
            "XYZ",
            "--timezone",
            "Nowhere/City",
        ],
        &env,
    );
    assert!(!bad.status.success());
    let message = stderr(&bad);
    for field in ["--slug", "--currency", "--timezone"] {
        assert!(message.contains(field), "{field} not reported: {message}");
    }
}

async fn serve_hints_at_creating_a_tenant_on_first_start(backend: TestBackend) {
    let db = TestDatabase::create(backend);
    let mut child = hearth(
        &["serve"],
        &[("DATABASE_URL", &db.url), ("HEARTH_SERVER__PORT", "0")],
    )
    .stderr(Stdio::piped())
    .spawn()
    .expect("start hearth serve");
    let lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut hint = None;
    for line in lines.map_while(Result::ok).take(20) {
        if line.contains("no tenant exists yet") {
            hint = Some(line);
            break;
        }
    }
    child.kill().ok();
    child.wait().ok();
    let hint = hint.expect("serve logs a first-run hint");
    assert!(hint.contains("hearth tenant create --slug"), "{hint}");
}

backend_tests!(
    migrate_is_idempotent,
    tenant_create_validates_and_refuses_duplicates,
    serve_hints_at_creating_a_tenant_on_first_start,
);

#[test]
fn a_bad_postgres_url_fails_at_start_up_with_the_real_cause() {
    let out = run(
        &["migrate"],
        &[("DATABASE_URL", "postgres://hearth:pw@127.0.0.1:1/hearth")],
    );
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("127.0.0.1"), "{message}");
    assert!(
        message.contains("Connection refused") || message.contains("connection to server"),
        "the real cause is shown: {message}"
    );
    assert!(
        !message.contains(":pw@"),
        "the password is redacted: {message}"
    );
}

#[test]
fn production_refuses_to_start_without_a_proper_secret_or_with_wildcard_cors() {
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[], "HEARTH_JWT_SECRET is not set"),
        (&[("HEARTH_JWT_SECRET", "too-short")], "at least 32"),
        (
            &[("HEARTH_JWT_SECRET", hearth::config::EXAMPLE_JWT_SECRET)],
            "published example",
        ),
        (
            &[
                (
                    "HEARTH_JWT_SECRET",
                    "a-perfectly-fine-secret-of-more-than-32-bytes",
                ),
                ("HEARTH_HTTP__CORS_ORIGINS", "*"),
            ],
            "\"*\"",
        ),
    ];
    for (env, expected) in cases {
        let mut env = env.to_vec();
        env.push(("HEARTH_ENV", "production"));
        env.push(("DATABASE_URL", "sqlite:///nonexistent/never-opened.db"));
        let out = run(&["serve"], &env);
        assert!(!out.status.success(), "must refuse: {env:?}");
        let message = stderr(&out);
        assert!(message.contains(expected), "{expected:?} not in {message}");
        assert!(message.contains("refusing to start"), "{message}");
    }
}

#[test]
fn openapi_command_prints_the_document() {
    let out = run(&["openapi"], &[]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        hearth::openapi::spec_json()
    );
}
