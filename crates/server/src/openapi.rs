//! The OpenAPI 3.1 document, generated from the endpoint table
//! (`routes::endpoints`) and the request and answer types' JSON Schemas
//! (schemars): parameters come from the request types, answers from the
//! answer types, so the document cannot drift from the code.

use crate::endpoint::{Answer, error_response};
use crate::routes::endpoints;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};
use std::sync::LazyLock;

/// The document, made once.
pub static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_string());

/// Query parameters from a request type's root schema: one per property,
/// required when the type requires it.
fn parameters(root: &Value) -> Vec<Value> {
    let required: Vec<&str> = root
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = root.get("properties").and_then(Value::as_object) else {
        return vec![];
    };
    props
        .iter()
        .map(|(name, schema)| {
            let mut schema = schema.clone();
            let description = schema
                .as_object_mut()
                .and_then(|o| o.remove("description"))
                .unwrap_or(Value::String(String::new()));
            json!({
                "name": name,
                "in": "query",
                "required": required.contains(&name.as_str()),
                "description": description,
                "schema": schema,
            })
        })
        .collect()
}

/// The whole document.
pub fn document() -> Value {
    // Answers: named types land in components, referenced from paths.
    // What is serialized decides what is required (a field skipped when
    // empty is optional; an `Option` always written is required, maybe null).
    let mut answers = SchemaSettings::draft2020_12()
        .for_serialize()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    // Parameters: inline, so each property is a plain schema.
    let mut params = SchemaSettings::draft2020_12()
        .for_deserialize()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    let mut paths = Map::new();
    for e in endpoints() {
        let root = (e.params)(&mut params).to_value();
        let mut parameters: Vec<Value> = e
            .path_params
            .iter()
            .map(|(name, description, values)| {
                let mut schema = json!({"type": "string"});
                if !values.is_empty() {
                    schema["enum"] = json!(values);
                }
                json!({"name": name, "in": "path", "required": true, "description": description, "schema": schema})
            })
            .collect();
        // A table answer also takes `format`.
        parameters.extend(parameters_of(&root, matches!(e.answer, Answer::Table(_))));
        // Every catalog query answers as of a past day; a table also as
        // what changed between two days.
        if !e.cli.is_empty() {
            parameters.push(json!({"name": "as_of", "in": "query", "required": false,
                "description": "answer as Frontline knew it at the end of this day (UTC): YYYY-MM-DD, today or earlier, \
                    or `today` (docs/schema-and-dates.md)",
                "schema": {"type": "string"}}));
            if matches!(e.answer, Answer::Table(_)) {
                parameters.push(json!({"name": "against", "in": "query", "required": false,
                    "description": "answer with what changed between `as_of` (default today) and this day: rows \
                        added, removed and changed with both values, and the imports and sync runs in between (a `Diff`)",
                    "schema": {"type": "string"}}));
            }
        }
        let ok = match &e.answer {
            Answer::Table(schema) => {
                let mut s = schema(&mut answers).to_value();
                // With `against`, a catalog query answers what changed.
                if !e.cli.is_empty() {
                    let diff = answers
                        .subschema_for::<frontline_app::commands::diff::Diff>()
                        .to_value();
                    s = json!({"anyOf": [s, diff]});
                }
                json!({"description": "OK", "content": {
                    "application/json": {"schema": s},
                    "text/csv": {"schema": {"type": "string"}},
                }})
            }
            Answer::Json(name) => json!({"description": "OK", "content": {
                "application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}},
            }}),
            Answer::GeoJson => json!({"description": "OK", "content": {
                "application/geo+json": {"schema": {"$ref": "#/components/schemas/FeatureCollection"}},
            }}),
            Answer::Bytes => json!({"description": "OK", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            }}),
            Answer::Feed => json!({"description": "OK", "content": {
                "application/atom+xml": {"schema": {"type": "string"}},
                "application/feed+json": {"schema": {"type": "object"}},
            }}),
            Answer::Tile => json!({"description": "OK (an empty body where the history has nothing)", "content": {
                "application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}},
            }}),
        };
        let mut responses = json!({
            "200": ok,
            "400": error_response("a parameter is missing, malformed or unknown"),
            "404": error_response("nothing of that name, or no data yet"),
            "500": error_response("internal fault; the body carries only an error id, logged with the details"),
            "503": error_response("the store is busy with a write; retry after the Retry-After seconds"),
        });
        let mut op = json!({"summary": e.summary, "parameters": parameters});
        if let Some(role) = e.role {
            op["security"] = json!([{"bearer": []}]);
            op["x-role"] = json!(role.as_str());
            responses["401"] = error_response("missing, wrong or revoked token");
            responses["403"] = error_response("the token's role is not enough, or no token exists (writes off)");
        }
        if let Some(body) = e.body {
            let mut schema = body(&mut params).to_value();
            schema.as_object_mut().map(|o| o.remove("$schema"));
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": schema}}});
        } else if e.method == "post" {
            op["requestBody"] = json!({"required": true, "content": {"application/octet-stream": {
                "schema": {"type": "string", "contentEncoding": "binary"}}}});
            responses["413"] = error_response("the body is over the server's limit");
        }
        op["responses"] = responses;
        if let Some(x) = e.example {
            op["x-example"] = json!(x);
        }
        if !e.errors.is_empty() {
            op["x-error-examples"] = json!(e.errors);
        }
        // The same question on the command line: its query parameters are
        // the command's flags (`min_population` is `--min-population`), the
        // path's `{name}` segments its arguments, in order.
        if !e.cli.is_empty() {
            op["x-cli"] = json!(format!("frontline {}", e.cli.join(" ")));
        }
        let path = format!("/api/v1{}", e.path);
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[e.method] = op;
    }
    paths.extend(crate::ogc::paths());
    let mut schemas: Map<String, Value> = answers.take_definitions(true).into_iter().collect();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "additionalProperties": false, "required": ["code", "description", "error", "status"], "properties": {
            "code": {"type": "string", "description": "the exception code, as OGC API – Common names them (InvalidParameterValue, NotFound, ServerError…)"},
            "description": {"type": "string", "description": "what is wrong, naming the parameter; the same text as `error`"},
            "error": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "error_id": {"type": "string", "description": "500 only: the id of the logged details"},
        }}),
    );
    schemas.insert(
        "Health".into(),
        json!({"type": "object", "required": ["status"], "properties": {"status": {"const": "ok"}}}),
    );
    schemas.insert(
        "OpenApi".into(),
        json!({"type": "object", "required": ["openapi", "paths"], "properties": {
            "openapi": {"type": "string"}, "paths": {"type": "object"}}}),
    );
    schemas.insert(
        "Snapshots".into(),
        json!({"type": "object", "additionalProperties": false, "required": ["mapper", "days", "mappers"], "properties": {
            "mapper": {"type": "string"},
            "days": {"type": "array", "items": {"type": "string", "format": "date"}},
            "mappers": {"type": "array", "items": {"type": "string"}, "description": "every mapper stored"},
        }}),
    );
    schemas.insert(
        "FeatureCollection".into(),
        json!({"type": "object", "required": ["type", "features"], "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "items": {"type": "object", "required": ["type", "geometry", "properties"],
                "properties": {"type": {"const": "Feature"}, "geometry": {"type": ["object", "null"]},
                               "properties": {"type": "object"}}}},
        }}),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Frontline API",
            "version": "1",
            "description": "Official tallies, territory, loss evidence. Reads are open; writes need a named \
                            bearer token (`frontline token add`). Tabular answers take `?format=csv`; any other \
                            unknown parameter is refused with 400. Generated from the code's types.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}

fn parameters_of(root: &Value, table: bool) -> Vec<Value> {
    let mut p = parameters(root);
    // A request type with a `format` of its own (an import's loss layout)
    // keeps it: one parameter of a name per operation.
    let own_format = p.iter().any(|q| q["name"] == "format");
    if table && !own_format {
        p.push(json!({"name": "format", "in": "query", "required": false,
            "description": "answer as JSON (default) or CSV",
            "schema": {"type": "string", "enum": ["json", "csv"]}}));
    }
    p
}
