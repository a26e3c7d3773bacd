//! The Baqylau dashboard: a Yew single-page app served by the API binary at `/`, built
//! as two bundles: the whole dashboard (`src/main.rs`) and the sign-in screen alone
//! (`src/bin/baqylau-sign-in.rs`).
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

/// Starts the whole dashboard.
pub fn start_dashboard() {
    mount::<app::App>();
}

/// Starts the sign-in screen alone: all a signed-out person opening `/login` needs
/// first, in a bundle a fraction of the dashboard's, so that the form is usable within
/// seconds over a village's 3G link. Once signed in, the page loads the dashboard
/// (`static/boot.js` chooses which of the two to start).
pub fn start_sign_in() {
    mount::<app::SignIn>();
}

fn mount<C: yew::BaseComponent<Properties = ()>>() {
    // index.html provides <div id="app">; without it (a hand-edited page) use <body>.
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<C>::with_root(root).render(),
        None => yew::Renderer::<C>::new().render(),
    };
}
