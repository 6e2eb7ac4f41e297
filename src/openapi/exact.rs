//! Makes the generated document say exactly what the server enforces, where
//! utoipa's derives cannot express it: either/or bodies as `oneOf`, list
//! pages that reference their item schema, header parameters that are never
//! `null`, and response fields the server always sends marked `required`.
//! Generated clients read these literally (a nullable header becomes a
//! `None` sent on the wire; an optional field becomes `X | None | Unset`).

use std::collections::{BTreeMap, BTreeSet};

use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{OpenApi, Ref, RefOr};

/// Component schemas of `api`, mutably (an empty list when there are none).
fn schemas(api: &mut OpenApi) -> &mut BTreeMap<String, RefOr<Schema>> {
    &mut api.components.get_or_insert_with(Default::default).schemas
}

/// `Page_X.data` becomes an array of `$ref: X` instead of an inline copy of
/// `X`, so every list's item is one named type in generated clients.
pub fn reference_page_items(api: &mut OpenApi) {
    let all = schemas(api);
    let names: Vec<String> = all.keys().cloned().collect();
    for name in names {
        let Some(item) = name.strip_prefix("Page_") else {
            continue;
        };
        if !all.contains_key(item) {
            continue;
        }
        let Some(RefOr::T(Schema::Object(page))) = all.get_mut(&name) else {
            continue;
        };
        let description = match page.properties.get("data") {
            Some(RefOr::T(Schema::Array(data))) => data.description.clone(),
            _ => None,
        };
        page.properties.insert(
            "data".to_string(),
            ArrayBuilder::new()
                .items(Ref::from_schema_name(item))
                .description(description)
                .into(),
        );
    }
}

/// One branch of an either/or body: `fields` of the original object, those in
/// `required` made required and non-null, no other field allowed.
fn branch(
    original: &utoipa::openapi::schema::Object,
    description: &str,
    fields: &[&str],
    required: &[&str],
) -> Schema {
    let mut object = ObjectBuilder::new()
        .description(Some(description))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .build();
    for field in fields {
        if let Some(property) = original.properties.get(*field) {
            let mut property = property.clone();
            if required.contains(field) {
                without_null(&mut property);
                object.required.push((*field).to_string());
            }
            object.properties.insert((*field).to_string(), property);
        }
    }
    Schema::Object(object)
}

/// Replaces component `name` by a `oneOf` of named branches (each
/// `(branch name, description, fields, required fields)`), keeping its
/// description and example.
fn split(api: &mut OpenApi, name: &str, branches: &[(&str, &str, &[&str], &[&str])]) {
    let all = schemas(api);
    let Some(RefOr::T(Schema::Object(original))) = all.get(name).cloned() else {
        panic!("{name} is an object schema in the document");
    };
    let mut one_of = OneOfBuilder::new().description(original.description.clone());
    for (branch_name, description, fields, required) in branches {
        all.insert(
            (*branch_name).to_string(),
            RefOr::T(branch(&original, description, fields, required)),
        );
        one_of = one_of.item(Ref::from_schema_name(*branch_name));
    }
    let mut one_of = one_of.build();
    // `example` beside `examples`: Swagger UI and schemathesis read the former.
    one_of.example = original.example;
    all.insert(name.to_string(), RefOr::T(Schema::OneOf(one_of)));
}

/// Bodies whose fields come in alternative sets, which the server checks.
pub fn either_or_bodies(api: &mut OpenApi) {
    split(
        api,
        "AwardRequest",
        &[
            (
                "AwardByAmount",
                "An award of a direct amount, with the reason shown to the member.",
                &["user_id", "amount", "reason"],
                &["user_id", "amount", "reason"],
            ),
            (
                "AwardByRule",
                "An award by a point rule: quantity × the rule's points per unit, rounded half to even.",
                &["user_id", "rule_id", "quantity", "reason"],
                &["user_id", "rule_id", "quantity"],
            ),
        ],
    );
    let charge = ["description", "amount", "due_date"];
    let mut to_listed = vec!["household_ids"];
    to_listed.extend(charge);
    let mut to_all = vec!["all_active"];
    to_all.extend(charge);
    split(
        api,
        "BatchChargeRequest",
        &[
            (
                "ChargeListedHouseholds",
                "The same charge for each of the listed households.",
                &to_listed,
                &to_listed,
            ),
            (
                "ChargeAllActiveHouseholds",
                "The same charge for every household that is not archived.",
                &to_all,
                &to_all,
            ),
        ],
    );
    // `all_active` is a switch that is only ever `true`.
    if let Some(RefOr::T(Schema::Object(all))) = schemas(api).get_mut("ChargeAllActiveHouseholds")
        && let Some(RefOr::T(Schema::Object(flag))) = all.properties.get_mut("all_active")
    {
        flag.enum_values = Some(vec![serde_json::Value::Bool(true)]);
    }
}

/// Removes `null` from a schema's types (`["string", "null"]` → `"string"`,
/// `oneOf: [{type: null}, X]` → `X`).
fn without_null(schema: &mut RefOr<Schema>) {
    match schema {
        RefOr::T(Schema::Object(object)) => drop_null(&mut object.schema_type),
        RefOr::T(Schema::Array(array)) => drop_null(&mut array.schema_type),
        RefOr::T(Schema::OneOf(one_of)) => {
            let is_null = |item: &RefOr<Schema>| {
                matches!(item, RefOr::T(Schema::Object(o))
                    if o.schema_type == SchemaType::Type(Type::Null))
            };
            let others: Vec<RefOr<Schema>> = one_of
                .items
                .iter()
                .filter(|i| !is_null(i))
                .cloned()
                .collect();
            if let [single] = others.as_slice() {
                *schema = single.clone();
            } else {
                one_of.items = others;
            }
        }
        _ => {}
    }
}

/// `["string", "null"]` → `"string"`.
fn drop_null(schema_type: &mut SchemaType) {
    if let SchemaType::Array(types) = schema_type {
        let kept: Vec<Type> = types
            .iter()
            .filter(|t| **t != Type::Null)
            .cloned()
            .collect();
        *schema_type = match kept.as_slice() {
            [single] => SchemaType::Type(single.clone()),
            _ => SchemaType::Array(kept),
        };
    }
}

/// Header parameters and optional request bodies are absent or a value,
/// never `null` (an optional body is not required; sent, it is an object).
pub fn headers_not_nullable(api: &mut OpenApi) {
    for item in api.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in operations.into_iter().flatten() {
            for parameter in op.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter
                    && parameter.parameter_in == ParameterIn::Header
                    && let Some(schema) = parameter.schema.as_mut()
                {
                    without_null(schema);
                }
            }
            if let Some(RefOr::T(body)) = op.request_body.as_mut() {
                for content in body.content.values_mut() {
                    if let RefOr::T(content) = content
                        && let Some(schema) = content.schema.as_mut()
                    {
                        without_null(schema);
                    }
                }
            }
        }
    }
}

/// The component names `value` refers to (`$ref`s anywhere inside it).
fn references(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(fields) => {
            if let Some(serde_json::Value::String(r)) = fields.get("$ref")
                && let Some(name) = r.strip_prefix("#/components/schemas/")
            {
                out.insert(name.to_string());
            }
            fields.values().for_each(|v| references(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

/// Every property of a schema that only responses use is `required`: the
/// server serialises every field of its responses, `null` included (no
/// response field is skipped when empty), so a client can rely on its
/// presence. Schemas a request body uses keep their optional fields.
pub fn response_fields_required(api: &mut OpenApi) {
    let json = serde_json::to_value(&*api).expect("the OpenAPI document serialises");
    let components = &json["components"]["schemas"];
    let mut in_requests = BTreeSet::new();
    for item in json["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            references(&op["requestBody"], &mut in_requests);
        }
    }
    // Close over what those schemas refer to in turn.
    loop {
        let mut more = BTreeSet::new();
        for name in &in_requests {
            references(&components[name.as_str()], &mut more);
        }
        let before = in_requests.len();
        in_requests.extend(more);
        if in_requests.len() == before {
            break;
        }
    }
    for (name, schema) in schemas(api).iter_mut() {
        if in_requests.contains(name) || name.starts_with("Problem") || name == "FieldError" {
            continue;
        }
        if let RefOr::T(Schema::Object(object)) = schema {
            object.required = object.properties.keys().cloned().collect();
        }
    }
}
