//! What the generated axum routers call: reading a request (its body, headers, cookies and
//! multipart parts) and building the responses.

mod body;
mod headers;
mod response;

pub use body::{BodyError, ServerConfig, read_body, read_multipart};
pub use headers::{authorization, content_length, cookie_value, header_text, media_type};
pub use response::{empty_response, json_response};
