//! `GET /v1/openapi.json`: the OpenAPI 3 document, generated from the handlers and the shared
//! wire types, so it cannot drift from what the server accepts.

use axum::Router;
use axum::routing::get;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Rounds API", description = "Sync for devices and the read API of the web console."),
    paths(
        super::health::healthz,
        super::auth::login,
        super::auth::refresh,
        super::auth::logout,
        super::auth::enrol,
        super::auth::confirm,
        super::admin::set_password,
        super::admin::end_sessions,
        super::sync::sync,
        super::live::live,
        super::jobs::list,
        super::jobs::detail,
        super::customers::list,
        super::customers::detail,
        super::leads::list,
        super::leads::detail,
        super::followups::list,
        super::followups::detail,
        super::technicians::list,
        super::technicians::detail,
        super::search::search,
        super::dispatch::suggest,
        super::dispatch::plan,
        super::devices::sign_out,
    ),
    components(schemas(super::followups::FollowUpState)),
    modifiers(&Bearer),
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/v1/openapi.json", get(document))
}

async fn document() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// utoipa takes only a literal for `max_items`: the document must still say what the
    /// server enforces.
    #[test]
    fn the_document_states_the_op_limit_the_server_enforces() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let max = &doc["components"]["schemas"]["SyncRequest"]["properties"]["ops"]["maxItems"];
        assert_eq!(max.as_u64(), Some(domain::sync::MAX_OPS as u64));
    }

    /// The shared problem answers (`error.rs`) and the ones written out at an operation must
    /// describe the same body: every error answer of every operation is a problem document.
    #[test]
    fn every_error_answer_is_a_problem_document() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut errors = 0;
        for (path, ops) in doc["paths"].as_object().unwrap() {
            for (method, op) in ops.as_object().unwrap() {
                for (status, answer) in op["responses"].as_object().unwrap() {
                    if status.as_str() < "400" {
                        continue;
                    }
                    errors += 1;
                    assert_eq!(
                        answer["content"]["application/problem+json"]["schema"]["$ref"],
                        "#/components/schemas/Problem",
                        "{method} {path} {status}"
                    );
                }
            }
        }
        assert!(errors > 50, "{errors}");
    }

    /// A refusal's parts (`Denied`, `Field`, `Problem`, ...) are in the document, so that a
    /// client can decode every refusal the sync answers with.
    #[test]
    fn every_schema_the_document_names_is_in_it() {
        fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                        out.push(r.trim_start_matches("#/components/schemas/").to_owned());
                    }
                    m.values().for_each(|v| refs(v, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut named = Vec::new();
        refs(&doc, &mut named);
        let schemas = &doc["components"]["schemas"];
        for name in [
            "OpError",
            "Denied",
            "Clash",
            "Field",
            "FieldProblem",
            "AddressPart",
        ] {
            assert!(named.iter().any(|n| n == name), "{name} is not referenced");
        }
        // Two types of one name would share one schema: the problem document stays its own.
        assert!(schemas["Problem"]["properties"]["detail"].is_object());
        let invalid = &schemas["OpError"]["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|v| v["properties"].get("Invalid"))
            .unwrap()["properties"]["problem"]["$ref"];
        assert_eq!(invalid, "#/components/schemas/FieldProblem");
        for name in named {
            assert!(
                schemas.get(&name).is_some(),
                "{name} is named but not defined"
            );
        }
    }
}
