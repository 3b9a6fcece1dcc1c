//! A client's mistake never gets a 5xx: odd numbers, unknown fields, broken bodies, on
//! every face.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use reference::Fixtures;

#[test]
fn client_mistakes_get_4xx_on_every_face() {
    let fixtures = Fixtures::default_set();
    let server = reference::start(fixtures.clone(), ([127, 0, 0, 1], 0).into()).unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let community = fixtures.face_credentials("community");
    let billing = fixtures.face_credentials("billing");
    let token = community.token.clone().unwrap();
    let key = billing.api_key.clone().unwrap();
    let billing_user = billing.user_id.clone().unwrap();
    let cases: Vec<(&str, reqwest::RequestBuilder)> = vec![
        (
            "a huge integer id",
            http.put(format!(
                "{}/api/v2/user/99999999999999999999999999/",
                server.base_url("community")
            ))
            .bearer_auth(&token)
            .json(&serde_json::json!({})),
        ),
        (
            "a negative id",
            http.put(format!("{}/api/v2/user/-1/", server.base_url("community")))
                .bearer_auth(&token)
                .json(&serde_json::json!({})),
        ),
        (
            "a huge number where a string goes",
            http.put(format!(
                "{}/api/v2/user/1001/",
                server.base_url("community")
            ))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(r#"{"bio": 1e400, "username": 123456789012345678901234567890}"#),
        ),
        (
            "a body that is JSON but not an object",
            http.put(format!(
                "{}/api/v1/user/{billing_user}",
                server.base_url("billing")
            ))
            .query(&[("api_key", &key)])
            .json(&serde_json::json!([1, 2, 3])),
        ),
        (
            "deeply nested JSON",
            http.put(format!(
                "{}/api/v1/user/{billing_user}",
                server.base_url("billing")
            ))
            .query(&[("api_key", &key)])
            .header("content-type", "application/json")
            .body(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000))),
        ),
        (
            "a multipart body with no boundary",
            http.put(format!(
                "{}/api/v2/user/1001/",
                server.base_url("community")
            ))
            .bearer_auth(&token)
            .header("content-type", "multipart/form-data")
            .body("--x\r\n"),
        ),
        (
            "an unknown path",
            http.get(format!("{}/no/such/path", server.base_url("manage"))),
        ),
        (
            "a method the path does not have",
            http.patch(format!("{}/v1/cl2c/user", server.base_url("cl2c"))),
        ),
    ];
    runtime.block_on(async {
        for (what, request) in cases {
            let response = request
                .send()
                .await
                .unwrap_or_else(|e| panic!("{what}: no answer: {e}"));
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            assert!((400..500).contains(&status), "{what}: {status} {body}");
            assert!(
                serde_json::from_str::<serde_json::Value>(&body).is_ok(),
                "{what}: not a JSON envelope: {body}"
            );
        }
        // Unknown fields are ignored, not refused.
        let response = http
            .put(format!(
                "{}/api/v1/user/{billing_user}",
                server.base_url("billing")
            ))
            .query(&[("api_key", &key)])
            .json(&serde_json::json!({"no_such_field": [1, 2, {"deep": true}], "first_name": "Ok"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    });
}
