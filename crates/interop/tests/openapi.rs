//! OpenAPI descriptions from strangers: other versions are refused by name,
//! YAML that expands without end fails, and JSON works as well as YAML.

use atelier_interop::openapi::import;
use atelier_interop::ImportError;
use atelier_model::source::{Auth, BodyUse};
use atelier_model::Id;

fn id() -> Id {
    Id::new("svc").unwrap()
}

#[test]
fn other_versions_and_broken_text_are_refused() {
    let e = import(r#"{"swagger": "2.0", "paths": {}}"#, &id()).unwrap_err();
    assert!(e.to_string().contains("Swagger 2.0, not OpenAPI 3.0 or 3.1"), "{e}");
    assert!(matches!(import("openapi: [3", &id()), Err(ImportError::Syntax { .. })));
    // A billion laughs in YAML aliases is stopped, not expanded.
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        bomb.push_str(&format!("{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    bomb.push_str("openapi: 3.0.0\n");
    assert!(import(&bomb, &id()).is_err(), "the aliases expand past the reader's limit");
}

#[test]
fn json_descriptions_read_with_bearer_auth_and_bodies() {
    let text = r#"{"openapi": "3.0.3", "info": {"title": "Svc"}, "servers": [{"url": "https://svc.example.org/api/"}],
        "components": {"securitySchemes": {"jwt": {"type": "http", "scheme": "bearer"}}},
        "paths": {"/items/{id}": {"parameters": [{"name": "id", "in": "path"}],
                  "put": {"requestBody": {"content": {}}, "responses": {"204": {"description": "ok"}}}}}}"#;
    let s = import(text, &id()).unwrap();
    assert_eq!(s.source.base_url, "https://svc.example.org/api");
    assert!(matches!(&s.source.auth, Auth::Bearer { secret } if secret.as_str() == "SVC_TOKEN"));
    let op = &s.source.operations[&Id::new("put-items-id").unwrap()];
    assert_eq!((op.path.as_str(), op.body, op.parameters[0].required), ("/items/{id}", BodyUse::Optional, true));
    assert!(s.source.operation_for(atelier_model::workflow::HttpMethod::Put, "/items/{{input.id}}").is_some());
    assert!(s.source.operation_for(atelier_model::workflow::HttpMethod::Put, "/items").is_none());
}
