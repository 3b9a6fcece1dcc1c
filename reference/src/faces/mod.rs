//! The six faces: each implements a generated server trait over the one store.

pub mod billing;
pub mod canonical;
pub mod cl2c;
pub mod community;
pub mod manage;
pub mod rpc;
