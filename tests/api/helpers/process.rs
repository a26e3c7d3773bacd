//! The `baqylau` binary run as a process: its subcommands, and `serve` on a port the
//! system picks (read back from its log; no test assumes a port is free).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use baqylau::db::DbTarget;

/// The binary with a clean environment: no database, secret or mode from the caller's.
pub fn baqylau() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_baqylau"));
    cmd.env_remove("DATABASE_URL")
        .env_remove("BAQYLAU_JWT_SECRET")
        .env_remove("BAQYLAU_ENV")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1");
    cmd
}

/// `baqylau serve` on a port the system picks, on the database at `database_url`.
pub fn serve(database_url: &str) -> Command {
    let mut cmd = baqylau();
    cmd.args([
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--database-url",
        database_url,
    ]);
    cmd
}

/// `baqylau user create` with the password from the environment, as the README says.
pub fn user_create(database_url: &str, email: &str, role: &str, password: &str) -> Output {
    baqylau()
        .args(["user", "create", "--email", email, "--role", role])
        .args(["--database-url", database_url])
        .env("BAQYLAU_USER_PASSWORD", password)
        .output()
        .expect("run baqylau user create")
}

/// `DATABASE_URL` for a target.
pub fn url_of(target: &DbTarget) -> String {
    match target {
        DbTarget::Sqlite(p) => format!("sqlite://{}", p.display()),
        DbTarget::Postgres(u) => u.clone(),
    }
}

/// A running `baqylau serve`; killed when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
    lines: Receiver<String>,
}

impl Server {
    /// Starts `cmd` (a `baqylau serve` bound to port 0) and waits for the port it logs.
    pub fn start(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start baqylau");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut seen = Vec::new();
        while let Ok(line) = lines.recv_timeout(Duration::from_secs(60)) {
            let port = line
                .split("port=")
                .nth(1)
                .and_then(|p| p.split_whitespace().next())
                .and_then(|p| p.parse::<u16>().ok());
            if let Some(port) = port {
                return Server { child, port, lines };
            }
            seen.push(line);
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("no port in the log: {seen:#?}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Sends SIGTERM, waits for the exit, and returns it with the lines logged since.
    pub fn terminate(mut self) -> (ExitStatus, Vec<String>) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let exit = self.child.wait().expect("wait");
        (exit, self.lines.try_iter().collect())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
