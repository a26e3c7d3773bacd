//! The Baqylau dashboard: a Yew single-page app served by the API binary at `/`.
//!
//! It compiles for `wasm32-unknown-unknown` (the real target, built by `cargo xtask
//! frontend`) and also natively, so that `cargo clippy --workspace` and the unit tests of
//! the pure parts (i18n, problem parsing, query strings, dates) run without a browser.

mod api;
mod app;
mod appeal;
mod components;
mod format;
mod hooks;
mod i18n;
mod offline;
mod pages;
mod route;
mod session;
mod typed;
mod workdays;

fn main() {
    // index.html provides <div id="app">; without it (a hand-edited page) use <body>.
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<app::App>::with_root(root).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}
