//! The committed OpenAPI document is current, and every documented route exists.

use actix_web::test::TestRequest;

use crate::backend_tests;
use crate::helpers::{TestBackend, default_peer, spawn_app};

#[test]
fn committed_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let current = hearth::openapi::spec_json();
    assert!(
        committed == current,
        "openapi/openapi.json is stale: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

/// What integrators generate clients from: every operation has an id, a
/// summary, a tag, an explicit security requirement, an example for its request
/// body, and problem+json for every error status.
/// Every `$ref` in the document points at something it defines (a schema
/// used only by query parameters is easy to leave out of the components).
#[test]
fn every_reference_resolves() {
    fn walk(node: &serde_json::Value, doc: &serde_json::Value, broken: &mut Vec<String>) {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(|r| r.as_str()) {
                    let pointer = target.trim_start_matches('#');
                    if doc.pointer(pointer).is_none() {
                        broken.push(target.to_string());
                    }
                }
                map.values().for_each(|v| walk(v, doc, broken));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, doc, broken)),
            _ => {}
        }
    }
    let doc = serde_json::to_value(hearth::openapi::spec()).unwrap();
    let mut broken = Vec::new();
    walk(&doc, &doc, &mut broken);
    broken.sort();
    broken.dedup();
    assert!(broken.is_empty(), "unresolved $refs: {broken:?}");
}

#[test]
fn every_webhook_delivery_is_described_with_its_body_and_signature() {
    let spec = serde_json::to_value(hearth::openapi::spec()).unwrap();
    let webhooks = spec["webhooks"].as_object().expect("a webhooks section");
    let mut types: Vec<&str> = webhooks.keys().map(String::as_str).collect();
    types.sort_unstable();
    let mut expected: Vec<&str> = spec["components"]["schemas"]["WebhookEventType"]["enum"]
        .as_array()
        .expect("the event types")
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    expected.sort_unstable();
    assert_eq!(types, expected, "one entry per event type");
    for (name, item) in webhooks {
        let op = &item["post"];
        assert!(
            op["summary"].as_str().is_some_and(|s| s.len() > 20),
            "{name}"
        );
        let body = &op["requestBody"]["content"]["application/json"]["schema"]["allOf"];
        assert_eq!(
            body[0]["$ref"], "#/components/schemas/WebhookEventResponse",
            "{name}: the event"
        );
        assert_eq!(body[1]["properties"]["type"]["enum"][0], name.as_str());
        assert!(
            body[1]["properties"]["data"]["$ref"].is_string(),
            "{name}: its data"
        );
        let headers: Vec<&str> = op["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            headers,
            ["webhook-id", "webhook-timestamp", "webhook-signature"]
        );
        assert_eq!(
            op["security"][0]["webhook_signature"],
            serde_json::json!([])
        );
    }
}

#[test]
fn every_operation_is_fully_described() {
    let spec = serde_json::to_value(hearth::openapi::spec()).unwrap();
    let schemas = &spec["components"]["schemas"];
    let has_example = |schema: &serde_json::Value| {
        let resolved = match schema["$ref"].as_str() {
            Some(r) => &schemas[r.trim_start_matches("#/components/schemas/")],
            None => schema,
        };
        !resolved["example"].is_null()
    };
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            assert!(op["operationId"].is_string(), "{name}: operationId");
            assert!(op["summary"].is_string(), "{name}: summary");
            // What it does (written by hand), then who may call it (generated).
            let description = op["description"].as_str().unwrap_or_default();
            let (own, access) = description
                .split_once("**Who may call it:**")
                .unwrap_or((description, ""));
            assert!(
                own.trim().len() > 20,
                "{name}: a description of what it does"
            );
            assert!(!access.trim().is_empty(), "{name}: who may call it");
            let tags = op["tags"].as_array();
            assert!(tags.is_some_and(|t| !t.is_empty()), "{name}: tags");
            assert!(op["security"].is_array(), "{name}: explicit security");
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            if !body.is_null() {
                assert!(has_example(body), "{name}: request example");
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    let problem = response["$ref"]
                        .as_str()
                        .is_some_and(|r| r.starts_with("#/components/responses/"))
                        || response["content"]["application/problem+json"].is_object();
                    assert!(problem, "{name} {status}: errors are problem+json");
                }
            }
        }
    }
}

/// What generated clients rely on: either/or bodies are `oneOf`, a list's
/// items are one named schema, headers are never `null`, and what responses
/// always carry is `required`.
#[test]
fn the_document_is_exact_where_generated_clients_read_it() {
    let spec = serde_json::to_value(hearth::openapi::spec()).unwrap();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for either_or in ["AwardRequest", "BatchChargeRequest"] {
        let branches = schemas[either_or]["oneOf"].as_array();
        assert_eq!(
            branches.map(Vec::len),
            Some(2),
            "{either_or} is oneOf two bodies"
        );
    }
    assert_eq!(
        schemas["AwardByRule"]["properties"]["quantity"]["$ref"],
        "#/components/schemas/QuantityText"
    );
    for (name, schema) in schemas.iter().filter(|(n, _)| n.starts_with("Page_")) {
        let item = schema["properties"]["data"]["items"]["$ref"].as_str();
        assert_eq!(
            item.map(|r| r.trim_start_matches("#/components/schemas/")),
            name.strip_prefix("Page_"),
            "{name} refers to its item schema"
        );
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] == "header" {
                    let types = param["schema"]["type"].to_string();
                    assert!(!types.contains("null"), "{method} {path} {}", param["name"]);
                }
            }
        }
    }
    for name in [
        "RewardResponse",
        "EntryResponse",
        "ChargeResponse",
        "UserResponse",
    ] {
        let schema = &schemas[name];
        let properties: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r.as_str())
            .collect();
        for property in properties {
            assert!(
                required.contains(&property.as_str()),
                "{name}.{property} is required"
            );
        }
    }
}

/// Every documented (path, method) reaches a handler: never the 405 of a wrong
/// method, never the 404 of an unknown route.
async fn every_documented_route_exists(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let spec = serde_json::to_value(hearth::openapi::spec()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        let concrete = path
            .split('/')
            .map(|seg| {
                if seg.starts_with('{') {
                    "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in item.as_object().unwrap().keys() {
            let res = app
                .send(
                    TestRequest::default()
                        .method(method.to_uppercase().parse().unwrap())
                        .uri(&concrete)
                        .peer_addr(default_peer()),
                )
                .await;
            assert_ne!(res.status, 405, "{method} {path}");
            if res.status == 404 {
                assert_ne!(
                    res.json()["detail"],
                    "No route matches this path.",
                    "{method} {path} is documented but not routed"
                );
            }
        }
    }
}

backend_tests!(every_documented_route_exists);

/// The codes a client can meet are the codes the document promises: every
/// `ErrorCode` is named by a response of its own status, and every code a
/// response names (a backticked word outside parentheses, which hold the
/// details: field codes, extension members) exists with that status.
#[test]
fn documented_error_codes_are_the_codes_the_server_has() {
    use hearth::error::ErrorCode;
    let spec = serde_json::to_value(hearth::openapi::spec()).unwrap();
    let outside_parentheses = |text: &str| {
        let mut depth = 0usize;
        text.chars()
            .filter(|c| {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    _ => return depth == 0,
                }
                false
            })
            .collect::<String>()
    };
    let codes_in = |text: &str| -> Vec<String> {
        text.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let mut documented = std::collections::BTreeSet::new();
    // Reusable responses name their one code in parentheses at the end.
    for (name, response) in spec["components"]["responses"].as_object().unwrap() {
        let description = response["description"].as_str().unwrap_or_default();
        let status = response["content"]["application/problem+json"]["example"]["status"]
            .as_u64()
            .unwrap_or_else(|| panic!("{name}: an example with its status"));
        let code = codes_in(description).pop().unwrap_or_default();
        documented.insert((status as u16, code));
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                let Some(description) = response["description"].as_str() else {
                    continue;
                };
                if !(status.starts_with('4') || status.starts_with('5')) {
                    continue;
                }
                for code in codes_in(&outside_parentheses(description)) {
                    let status: u16 = status.parse().unwrap();
                    let known = ErrorCode::ALL
                        .iter()
                        .any(|c| c.as_str() == code && c.status().as_u16() == status);
                    assert!(
                        known,
                        "{method} {path} {status}: `{code}` is no error code of that status"
                    );
                    documented.insert((status, code));
                }
            }
        }
    }
    for code in ErrorCode::ALL {
        // 405 (any path, a method it lacks) and the generic 409 `conflict` (a
        // concurrent write on any write route) may answer anything; the
        // document describes them once, in its introduction.
        if matches!(code, ErrorCode::MethodNotAllowed | ErrorCode::Conflict) {
            let intro = spec["info"]["description"].as_str().unwrap_or_default();
            let named = format!("`{}` ({})", code.as_str(), code.status().as_u16());
            assert!(
                intro.contains(&named),
                "{named} is described in the introduction"
            );
            continue;
        }
        let entry = (code.status().as_u16(), code.as_str().to_string());
        assert!(
            documented.contains(&entry),
            "{entry:?} is produced but never documented"
        );
    }
}
