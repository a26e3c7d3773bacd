//! The whole dashboard's bundle.

fn main() {
    baqylau_frontend::start_dashboard();
}
