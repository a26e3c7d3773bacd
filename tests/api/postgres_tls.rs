//! TLS to PostgreSQL (#22): `sslmode` and `sslrootcert` in `DATABASE_URL` reach libpq
//! as they are. A second PostgreSQL cluster, started here on a port the system picked,
//! accepts only TLS connections, with a certificate from a CA made by the test; the
//! application's own pool connects to it with `verify-full` and is refused when it is
//! given another CA.

use std::fs::File;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use baqylau::db::{compat, Db, DbConn, DbTarget};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use crate::helpers::process::baqylau;
use crate::webhooks_tls::{pki_named, Pki};

/// The newest server binaries the machine has: `BAQYLAU_TEST_PG_BIN`, or
/// `/usr/lib/postgresql/<version>/bin` (Debian's layout).
fn server_binaries() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BAQYLAU_TEST_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("postgres").is_file())
                .then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// The binaries, or `None` when this test may be skipped: like the other PostgreSQL
/// tests, it is skipped outside CI only, and loudly.
fn binaries_or_skip() -> Option<PathBuf> {
    let ci = std::env::var("CI").ok().as_deref() == Some("true");
    if !ci && std::env::var("BAQYLAU_TEST_PG_SKIP").is_ok_and(|v| v == "1") {
        return None;
    }
    match server_binaries() {
        Some(bin) => Some(bin),
        None if ci => panic!(
            "CI=true and no PostgreSQL server binaries (initdb, postgres) in \
             /usr/lib/postgresql/*/bin or BAQYLAU_TEST_PG_BIN"
        ),
        None => {
            eprintln!(
                "!!! no PostgreSQL server binaries (initdb, postgres); the TLS-to-PostgreSQL \
                 test did NOT run (Debian: apt-get install postgresql)"
            );
            None
        }
    }
}

/// Who runs the cluster: initdb and postgres refuse to run as root, so a root test
/// hands them to the `postgres` user; anyone else runs them as themselves.
#[derive(Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
    /// Whether commands must switch to `uid`/`gid`.
    switch: bool,
}

impl RunAs {
    fn find() -> RunAs {
        let me = std::fs::metadata("/proc/self").expect("/proc/self");
        if me.uid() != 0 {
            return RunAs {
                uid: me.uid(),
                gid: me.gid(),
                switch: false,
            };
        }
        let passwd = std::fs::read_to_string("/etc/passwd").expect("/etc/passwd");
        let (uid, gid) = passwd
            .lines()
            .map(|l| l.split(':').collect::<Vec<_>>())
            .find(|f| f.len() > 3 && f[0] == "postgres")
            .map(|f| (f[2].parse().unwrap(), f[3].parse().unwrap()))
            .expect("running as root, and there is no `postgres` user to run the cluster as");
        RunAs {
            uid,
            gid,
            switch: true,
        }
    }

    fn command(&self, program: PathBuf, cwd: &Path) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(cwd).env("LC_ALL", "C").env_remove("PGDATA");
        if self.switch {
            // Set in the child before exec: no `runuser` in between, so the process
            // the test holds is the server itself and a signal reaches it directly.
            cmd.uid(self.uid).gid(self.gid);
        }
        cmd
    }

    /// Writes `contents` to `path`, owned by the server's user with `mode`.
    fn write(&self, path: &Path, contents: &str, mode: u32) {
        std::fs::write(path, contents).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        std::os::unix::fs::chown(path, Some(self.uid), Some(self.gid)).unwrap();
    }
}

/// A PostgreSQL cluster in a temp dir, serving TLS on 127.0.0.1 only. Dropping it (also
/// when the test panics) stops the server, then removes the directory.
struct TlsCluster {
    server: Option<Child>,
    port: u16,
    log: PathBuf,
    dir: tempfile::TempDir,
}

impl TlsCluster {
    fn start(bin: &Path, pki: &Pki) -> TlsCluster {
        let run_as = RunAs::find();
        let dir = tempfile::Builder::new()
            .prefix("baqylau-pg-tls-")
            .tempdir()
            .unwrap();
        std::os::unix::fs::chown(dir.path(), Some(run_as.uid), Some(run_as.gid)).unwrap();
        let mut cluster = TlsCluster {
            server: None,
            port: 0,
            log: dir.path().join("server.log"),
            dir,
        };
        let home = cluster.dir.path().to_owned();
        let data = home.join("data");
        let out = run_as
            .command(bin.join("initdb"), &home)
            .args(["--auth=trust", "--username=postgres", "--encoding=UTF8"])
            .args(["--locale=C", "--no-sync", "--pgdata"])
            .arg(&data)
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // TLS or nothing over TCP, so a connection that works is known to be encrypted.
        run_as.write(
            &data.join("pg_hba.conf"),
            "local all all trust\n\
             hostssl all all 127.0.0.1/32 trust\n\
             hostnossl all all 127.0.0.1/32 reject\n",
            0o600,
        );
        // The server refuses a key that others can read (PostgreSQL, "ssl_key_file").
        let cert = home.join("server.crt");
        let key = home.join("server.key");
        run_as.write(&cert, &pki.leaf_pem, 0o644);
        run_as.write(&key, &pki.leaf_key_pem, 0o600);

        // A port the system has just given out may be taken again before the server
        // binds it; then the server exits, and another port is tried.
        for _ in 0..5 {
            cluster.port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let log = File::create(&cluster.log).unwrap();
            let server = run_as
                .command(bin.join("postgres"), &home)
                .arg("-D")
                .arg(&data)
                .args(["-p", &cluster.port.to_string(), "-k"])
                .arg(&home)
                .args(["-c", "listen_addresses=127.0.0.1", "-c", "ssl=on"])
                .arg("-c")
                .arg(format!("ssl_cert_file={}", cert.display()))
                .arg("-c")
                .arg(format!("ssl_key_file={}", key.display()))
                .args(["-c", "fsync=off", "-c", "max_connections=20"])
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log)
                .spawn()
                .expect("start postgres");
            cluster.server = Some(server);
            if cluster.wait_until_ready(bin) {
                return cluster;
            }
            let log = cluster.log_text();
            assert!(log.contains("could not bind"), "postgres exited: {log}");
        }
        panic!("no free port for the TLS cluster after 5 tries");
    }

    /// Waits for the server to accept connections; `false` if it exited.
    fn wait_until_ready(&mut self, bin: &Path) -> bool {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if !self.running() {
                return false;
            }
            let ready = Command::new(bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the TLS cluster did not start in 60 s: {}", self.log_text());
    }

    fn running(&mut self) -> bool {
        self.server
            .as_mut()
            .is_some_and(|s| matches!(s.try_wait(), Ok(None)))
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// A fast shutdown (SIGINT): open sessions are ended rather than waited for.
    fn stop(&mut self) {
        if !self.running() {
            return;
        }
        let Some(server) = self.server.as_mut() else {
            return;
        };
        let _ = Command::new("kill")
            .args(["-INT", &server.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if !matches!(server.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = server.kill();
        let _ = server.wait();
    }

    /// `DATABASE_URL` for this cluster with the given query.
    fn url(&self, query: &str) -> String {
        format!(
            "postgres://postgres@localhost:{}/postgres?{query}",
            self.port
        )
    }
}

impl Drop for TlsCluster {
    fn drop(&mut self) {
        // The server first; the directory goes when the fields are dropped after this.
        self.stop();
    }
}

fn target(url: &str) -> DbTarget {
    DbTarget::parse(Some(url)).unwrap()
}

/// Whether the session runs over TLS, by the server's own account, and the protocol.
fn session_tls(conn: &mut DbConn) -> (bool, String) {
    let DbConn::Postgres(pg) = conn else {
        panic!("a postgres:// URL gave a SQLite connection")
    };
    diesel::select((
        diesel::dsl::sql::<Bool>("(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())"),
        diesel::dsl::sql::<Text>(
            "(SELECT coalesce(version, '') FROM pg_stat_ssl WHERE pid = pg_backend_pid())",
        ),
    ))
    .get_result(pg)
    .unwrap()
}

#[test]
fn verify_full_connects_with_the_servers_ca_and_is_refused_with_another() {
    let Some(bin) = binaries_or_skip() else {
        return;
    };
    let office = pki_named("Baqylau test database CA");
    let cluster = TlsCluster::start(&bin, &office);
    let cas = tempfile::tempdir().unwrap();
    let ca_file = |name: &str, pem: &str| {
        let path = cas.path().join(name);
        std::fs::write(&path, pem).unwrap();
        path.display().to_string()
    };
    let right_ca = ca_file("database-ca.pem", &office.ca_pem);
    let other_ca = ca_file("other-ca.pem", &pki_named("Another CA").ca_pem);
    // A CA under the very name of the right one, as an impostor would make it.
    let same_name_ca = ca_file(
        "same-name-ca.pem",
        &pki_named("Baqylau test database CA").ca_pem,
    );

    // The pool the server uses, on the URL as an operator would write it: the host
    // name is checked against the certificate, the certificate against the CA.
    let url = cluster.url(&format!("sslmode=verify-full&sslrootcert={right_ca}"));
    let db = Db::connect(target(&url), 1).expect("connect with verify-full");
    let mut conn = db.get().unwrap();
    let (ssl, version) = session_tls(&mut conn);
    assert!(ssl, "pg_stat_ssl says the session is not encrypted");
    assert!(version.starts_with("TLSv1."), "{version}");
    drop(conn);
    drop(db);

    // Another CA: refused at startup, and the error says why.
    let url = cluster.url(&format!("sslmode=verify-full&sslrootcert={other_ca}"));
    let err = match Db::connect(target(&url), 1) {
        Ok(_) => panic!("connected although the CA did not issue the server's certificate"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("certificate verify failed"), "{err}");

    // The impostor is refused too, at the signature (OpenSSL says "provider signature
    // failure"); `verify-ca` checks the chain as `verify-full` does. The connection
    // function the pool calls answers at once, without the pool's retries.
    for mode in ["verify-full", "verify-ca"] {
        let url = cluster.url(&format!("sslmode={mode}&sslrootcert={same_name_ca}"));
        let err = compat::establish(&target(&url)).err().expect("refused");
        assert!(err.to_string().contains("SSL error"), "{mode}: {err}");
    }

    // `require` encrypts without checking whom it talks to.
    let mut conn = compat::establish(&target(&cluster.url("sslmode=require"))).expect("require");
    assert!(session_tls(&mut conn).0);

    // And this server takes no plain connection at all.
    let err = compat::establish(&target(&cluster.url("sslmode=disable")))
        .err()
        .expect("a plain connection is rejected");
    assert!(err.to_string().contains("no encryption"), "{err}");
}

#[test]
fn an_unknown_sslmode_stops_startup_with_a_clear_message() {
    let out = baqylau()
        .args(["migrate", "--database-url"])
        .arg("postgres://app:s3cret@127.0.0.1:1/baqylau?sslmode=verify_full")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stderr.contains("unknown sslmode \"verify_full\" in DATABASE_URL"),
        "{stderr}"
    );
    assert!(stderr.contains("verify-full"), "{stderr}");
    assert!(
        !stdout.contains("s3cret") && !stderr.contains("s3cret"),
        "the password is never printed: {stdout}{stderr}"
    );
}
