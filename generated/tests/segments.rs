//! Path parameters that are part of a segment (spec/fixtures/segments.yaml:
//! `/thumbnail.{extension}`, `/flags/{country}.{format}`): the generated router matches and
//! splits the segment, the generated client builds it, and a segment without the template's
//! literal text is a 404, never the operation. Two such paths at one place
//! (`/reports/{name}.json`, `/reports/{id}.csv`) share a route: the literal text picks the
//! operation, a path without the method is a 405.
//!
//! Hand-written (generated/tests/ is not generated).

#![cfg(all(feature = "server", feature = "client"))]

use std::sync::Arc;

use profile_api::segments::operations::{
    Credentials, DeleteReportCsvRequest, DeleteReportCsvResponse, GetFlagRequest, GetFlagResponse,
    GetReportCsvRequest, GetReportCsvResponse, GetReportJsonRequest, GetReportJsonResponse,
    GetThumbnailRequest, GetThumbnailResponse,
};
use profile_api::segments::{Flag, GetThumbnailExtension, client::Client, server};
use profile_api::support::ServerConfig;

/// Answers with what the path said.
struct Echo;

impl server::Api for Echo {
    async fn get_thumbnail(&self, request: GetThumbnailRequest) -> GetThumbnailResponse {
        GetThumbnailResponse::Ok(format!("thumbnail.{}", request.extension.as_str()))
    }

    async fn get_flag(&self, request: GetFlagRequest) -> GetFlagResponse {
        GetFlagResponse::Ok(Flag {
            country: request.country,
            format: request.format,
        })
    }

    async fn get_report_json(&self, request: GetReportJsonRequest) -> GetReportJsonResponse {
        GetReportJsonResponse::Ok(request.name)
    }

    async fn get_report_csv(&self, request: GetReportCsvRequest) -> GetReportCsvResponse {
        GetReportCsvResponse::Ok(request.id)
    }

    async fn delete_report_csv(&self, _: DeleteReportCsvRequest) -> DeleteReportCsvResponse {
        DeleteReportCsvResponse::NoContent
    }
}

async fn serve() -> String {
    let router = server::router(Arc::new(Echo), ServerConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let address = listener.local_addr().expect("a bound address");
    tokio::spawn(async move {
        axum::serve(listener, router)
            .await
            .expect("the server runs");
    });
    format!("http://{address}")
}

fn client(base: &str) -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::new(base).expect("a client")
}

#[tokio::test]
async fn the_client_builds_and_the_server_splits_partial_segments() {
    let base = serve().await;
    let client = client(&base);
    let thumbnail = client
        .get_thumbnail(&GetThumbnailRequest {
            credentials: Credentials {},
            extension: GetThumbnailExtension::Jpg,
        })
        .await
        .expect("an answer");
    assert_eq!(thumbnail, GetThumbnailResponse::Ok("thumbnail.jpg".into()));
    let flag = client
        .get_flag(&GetFlagRequest {
            credentials: Credentials {},
            country: "fr".into(),
            format: "svg.gz".into(),
        })
        .await
        .expect("an answer");
    assert_eq!(
        flag,
        GetFlagResponse::Ok(Flag {
            country: "fr".into(),
            format: "svg.gz".into(),
        })
    );
}

#[tokio::test]
async fn a_segment_without_the_literal_text_is_not_found_and_values_are_validated() {
    let base = serve().await;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let status = |path: &'static str| {
        let http = http.clone();
        let base = base.clone();
        async move {
            let response = http
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("an answer");
            let status = response.status().as_u16();
            (status, response.text().await.unwrap_or_default())
        }
    };
    assert_eq!(status("/thumbnail.png").await.0, 200);
    assert_eq!(status("/thumbnail.png").await.1, "\"thumbnail.png\"");
    // Not the template's literal text, or an empty parameter: not this path.
    for path in [
        "/thumbnail",
        "/thumbnails.png",
        "/thumbnail.",
        "/flags/fr",
        "/flags/.svg",
        "/flags/fr.",
    ] {
        assert_eq!(status(path).await.0, 404, "{path}");
    }
    // The literal text matched; the values break the spec's constraints.
    let (code, body) = status("/thumbnail.gif").await;
    assert!((400..500).contains(&code) && code != 404, "{code} {body}");
    let (code, body) = status("/flags/fra.svg").await;
    assert!((400..500).contains(&code) && code != 404, "{code} {body}");
    let (code, body) = status("/flags/de.png").await;
    assert_eq!(code, 200, "{body}");
    assert!(
        body.contains("\"country\":\"de\"") && body.contains("\"format\":\"png\""),
        "{body}"
    );
    // Percent-encoded text is decoded after the split.
    let (code, body) = status("/flags/d%65.png").await;
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"country\":\"de\""), "{body}");
}

/// `/reports/{name}.json` and `/reports/{id}.csv` fall on one route: the segment's literal
/// text picks the operation, for the client's requests and raw ones alike.
#[tokio::test]
async fn two_partial_segments_at_one_place_are_told_apart_by_their_text() {
    let base = serve().await;
    let client = client(&base);
    let json = client
        .get_report_json(&GetReportJsonRequest {
            credentials: Credentials {},
            name: "weekly".into(),
        })
        .await
        .expect("an answer");
    assert_eq!(json, GetReportJsonResponse::Ok("weekly".into()));
    let csv = client
        .get_report_csv(&GetReportCsvRequest {
            credentials: Credentials {},
            id: 42,
        })
        .await
        .expect("an answer");
    assert_eq!(csv, GetReportCsvResponse::Ok(42));
    let deleted = client
        .delete_report_csv(&DeleteReportCsvRequest {
            credentials: Credentials {},
            id: 42,
        })
        .await
        .expect("an answer");
    assert_eq!(deleted, DeleteReportCsvResponse::NoContent);

    let http = reqwest::Client::new();
    let send = |method: reqwest::Method, path: &'static str| {
        let request = http.request(method, format!("{base}{path}"));
        async move {
            let response = request.send().await.expect("an answer");
            let status = response.status().as_u16();
            (status, response.text().await.unwrap_or_default())
        }
    };
    assert_eq!(
        send(reqwest::Method::GET, "/reports/a.csv.json").await,
        (200, "\"a.csv\"".into())
    );
    assert_eq!(
        send(reqwest::Method::GET, "/reports/7.csv").await,
        (200, "7".into())
    );
    // The `.csv` path's id is an integer: a validation error, not the `.json` operation.
    let (code, body) = send(reqwest::Method::GET, "/reports/x.csv").await;
    assert!((400..500).contains(&code) && code != 404, "{code} {body}");
    // DELETE exists for `.csv` only; neither template's text: 404.
    assert_eq!(send(reqwest::Method::DELETE, "/reports/7.csv").await.0, 204);
    assert_eq!(
        send(reqwest::Method::DELETE, "/reports/a.json").await.0,
        405
    );
    for path in ["/reports/a.xml", "/reports/a", "/reports/.json"] {
        assert_eq!(send(reqwest::Method::GET, path).await.0, 404, "{path}");
        assert_eq!(send(reqwest::Method::DELETE, path).await.0, 404, "{path}");
    }
}
