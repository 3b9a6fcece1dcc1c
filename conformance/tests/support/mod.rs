//! Servers for the harness's own tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod cl2c;
