//! `cargo xtask frontend`: the Yew dashboard compiled to wasm into `frontend/dist`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::util::{cargo_home, cmd, loud_warning, output, run, which};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";

pub fn build(root: &Path) -> Result<()> {
    ensure_wasm_target(root)?;
    let wasm_bindgen = ensure_wasm_bindgen(root)?;

    // `wasm-release` (Cargo.toml): size-optimised with LTO, so that the dashboard loads
    // within seconds over a village's 3G link; the server's release profile stays fast.
    run(cmd(root, "cargo").args([
        "build",
        "-p",
        "baqylau-frontend",
        "--bins",
        "--target",
        TARGET,
        "--profile",
        PROFILE,
    ]))?;

    let src = root.join("frontend");
    let dist = src.join("dist");
    // Rebuilt from scratch each time so that nothing stale is ever served.
    if dist.exists() {
        fs::remove_dir_all(&dist).with_context(|| format!("cannot clear {}", dist.display()))?;
    }
    fs::create_dir_all(&dist)?;
    // Two bundles of one crate: the whole dashboard, and the sign-in screen alone that a
    // signed-out /login starts with (static/boot.js).
    for (bin, module) in [
        ("baqylau-frontend", "baqylau_frontend"),
        ("baqylau-sign-in", "baqylau_sign_in"),
    ] {
        let wasm = target_dir(root)
            .join(TARGET)
            .join(PROFILE)
            .join(format!("{bin}.wasm"));
        run(cmd(root, &wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                // Function names are a third of the module and only a debugger reads them.
                "--remove-name-section",
                "--remove-producers-section",
                "--out-name",
                module,
            ])
            .arg("--out-dir")
            .arg(&dist)
            .arg(&wasm))?;
        wasm_opt(root, &dist.join(format!("{module}_bg.wasm")))?;
    }

    let index = fs::read_to_string(src.join("index.html")).context("frontend/index.html")?;
    if !index.contains("/boot.js") {
        bail!("frontend/index.html must load /boot.js, which starts the dashboard");
    }
    fs::write(dist.join("index.html"), index)?;
    copy_dir(&src.join("static"), &dist)?;

    let sizes = precompress(&dist)?;
    println!("frontend: {} ready", dist.display());
    for (name, raw, gz, br) in sizes {
        println!(
            "  {name:<28} {:>7.1} KiB raw, {:>7.1} KiB gzip, {:>7.1} KiB brotli (served)",
            raw as f64 / 1024.0,
            gz as f64 / 1024.0,
            br as f64 / 1024.0
        );
    }
    Ok(())
}

/// Runs binaryen's `wasm-opt -Oz`: from PATH, or `tests/browser`'s npm `binaryen`, which
/// is installed here when npm is (Debian's binaryen is too old for wasm-bindgen's output).
/// It takes another ~10% off, which the 3G budget needs. Without npm the LTO build is
/// still served.
fn wasm_opt(root: &Path, wasm: &Path) -> Result<()> {
    let dir = root.join("tests/browser");
    let local = dir.join("node_modules/.bin/wasm-opt");
    if which("wasm-opt").is_none() && !local.is_file() && which("npm").is_some() {
        run(cmd(&dir, "npm").args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]))?;
    }
    let Some(tool) = which("wasm-opt").or_else(|| local.is_file().then_some(local)) else {
        println!("frontend: wasm-opt not found (npm `binaryen`): the wasm is served as built");
        return Ok(());
    };
    let out = wasm.with_extension("opt.wasm");
    // wasm-bindgen's output uses these features; -Oz must keep them.
    run(cmd(root, &tool)
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(&out))?;
    fs::rename(&out, wasm)?;
    Ok(())
}

/// Writes `.br` and `.gz` beside every text and wasm file of `dist`, at the highest
/// levels, once per build: the server sends these as they are, instead of compressing
/// the same files at a fast level on every request. Returns the sizes per file.
fn precompress(dist: &Path) -> Result<Vec<(String, usize, usize, usize)>> {
    use std::io::Write;
    let mut sizes = Vec::new();
    for entry in fs::read_dir(dist)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let wanted = [".wasm", ".js", ".css", ".html", ".svg", ".json"];
        if !path.is_file() || !wanted.iter().any(|ext| name.ends_with(ext)) {
            continue;
        }
        let raw = fs::read(&path)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&raw)?;
        let gz = gz.finish()?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut raw.as_slice(), &mut br, &params)?;
        fs::write(dist.join(format!("{name}.gz")), &gz)?;
        fs::write(dist.join(format!("{name}.br")), &br)?;
        sizes.push((name, raw.len(), gz.len(), br.len()));
    }
    sizes.sort();
    Ok(sizes)
}

/// Where cargo puts build output (`CARGO_TARGET_DIR` or `target/`).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| if d.is_relative() { root.join(d) } else { d })
        .unwrap_or_else(|| root.join("target"))
}

fn ensure_wasm_target(root: &Path) -> Result<()> {
    if which("rustup").is_none() {
        loud_warning(&[
            "rustup not found: assuming the Rust toolchain already has the",
            "wasm32-unknown-unknown target (the wasm build below fails if not).",
        ]);
        return Ok(());
    }
    let installed =
        output(cmd(root, "rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == TARGET) {
        return Ok(());
    }
    run(cmd(root, "rustup").args(["target", "add", TARGET]))
}

/// The version of `package` recorded in Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = fs::read_to_string(root.join("Cargo.lock")).context("cannot read Cargo.lock")?;
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                return Ok(v.to_owned());
            }
        }
    }
    bail!("{package} is not in Cargo.lock")
}

fn wasm_bindgen_version(root: &Path, binary: &Path) -> Option<String> {
    // Prints e.g. "wasm-bindgen 0.2.130".
    let out = output(cmd(root, binary).arg("--version"))?;
    out.split_whitespace().nth(1).map(str::to_owned)
}

/// The wasm-bindgen CLI must match the `wasm-bindgen` library exactly, or the generated
/// glue refuses to load the module.
fn ensure_wasm_bindgen(root: &Path) -> Result<PathBuf> {
    let version = locked_version(root, "wasm-bindgen")?;
    let installed = cargo_home().join("bin").join("wasm-bindgen");
    let candidates = which("wasm-bindgen").into_iter().chain([installed.clone()]);
    for candidate in candidates {
        if wasm_bindgen_version(root, &candidate).as_deref() == Some(version.as_str()) {
            return Ok(candidate);
        }
    }

    println!(
        "installing wasm-bindgen-cli {version} (the version in Cargo.lock; takes a few minutes)"
    );
    let install = |locked: bool| {
        let mut c = cmd(root, "cargo");
        c.args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--force",
        ]);
        if locked {
            c.arg("--locked");
        }
        run(&mut c)
    };
    if let Err(err) = install(true) {
        // `--locked` pins the CLI's own dependencies as its authors published them; a
        // registry mirror that lags behind can lack one. The CLI version itself is still
        // pinned by `--version`, which is what has to match.
        loud_warning(&[
            &format!("{err:#}"),
            "Retrying without --locked (the CLI's dependencies resolve afresh).",
        ]);
        install(false)?;
    }
    match wasm_bindgen_version(root, &installed) {
        Some(v) if v == version => Ok(installed),
        other => bail!(
            "{} reports version {other:?} after installing {version}",
            installed.display()
        ),
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            fs::create_dir_all(&dest)?;
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), &dest)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}
