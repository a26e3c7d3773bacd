//! One component per route.

pub mod appeals;
pub mod deputies;
pub mod home;
pub mod login;
pub mod not_found;
pub mod overview;
pub mod receptions;
pub mod roadmaps;
