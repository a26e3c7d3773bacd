//! The sign-in screen's bundle: what a signed-out person opening `/login` loads first.

fn main() {
    baqylau_frontend::start_sign_in();
}
