//! The dashboard's compiled assets (`frontend/dist`): sent as the build precompressed
//! them (`<file>.br`, `<file>.gz`, written by `cargo xtask frontend`) when the browser
//! accepts that encoding, instead of being compressed again on every request; and always
//! with a validator (ETag, Last-Modified) and `Cache-Control: no-cache`, so that a browser
//! revalidates its copy and gets a 304 rather than the file again.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, ContentEncoding, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::{problem, problem_response};

/// Where the assets are, for the handler.
#[derive(Clone)]
pub struct AssetDir(pub PathBuf);

/// `/<name>.wasm|js|css` at the top of the dist directory (what wasm-bindgen and the
/// stylesheet produce); anything else is left to the static-files service.
pub fn resource(dir: &Path) -> actix_web::Resource {
    web::resource(r"/{file:[A-Za-z0-9_.-]+\.(?:wasm|js|css)}")
        .app_data(web::Data::new(AssetDir(dir.to_path_buf())))
        .route(web::get().to(asset))
        .route(web::head().to(asset))
}

/// Whether `Accept-Encoding` allows `coding` (a `q=0` refuses it).
pub fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                == Some(0.0)
        });
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

fn media_type(file: &str) -> &'static str {
    match file.rsplit('.').next() {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Headers every dashboard file carries: revalidate before use; the body depends on
/// `Accept-Encoding`.
pub fn revalidate(res: &mut HttpResponse) {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
}

async fn asset(req: HttpRequest, dir: web::Data<AssetDir>) -> HttpResponse {
    let file = req.match_info().query("file").to_owned();
    let accept = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let variants = [
        ("br", "br", ContentEncoding::Brotli),
        ("gzip", "gz", ContentEncoding::Gzip),
    ];
    for (coding, ext, encoding) in variants {
        if !accepts(&accept, coding) {
            continue;
        }
        if let Ok(f) = NamedFile::open_async(dir.0.join(format!("{file}.{ext}"))).await {
            let mime = media_type(&file).parse().expect("a valid media type");
            let mut res = f
                .set_content_type(mime)
                .set_content_encoding(encoding)
                .into_response(&req);
            revalidate(&mut res);
            return res;
        }
    }
    match NamedFile::open_async(dir.0.join(&file)).await {
        Ok(f) => {
            let mut res = f.into_response(&req);
            revalidate(&mut res);
            res
        }
        // Not an asset of this build: the dashboard's own "not found".
        Err(_) => spa_fallback(&req, Some(&dir.0.join("index.html"))).await,
    }
}

/// Client-side routes get the dashboard's shell (`index`); API paths and other methods a
/// bare 404. Without a built dashboard the answer says so, instead of a 404 that looks
/// like a wrong address.
pub async fn spa_fallback(req: &HttpRequest, index: Option<&Path>) -> HttpResponse {
    let path = req.path();
    let is_api = path == "/api" || path.starts_with("/api/") || path.starts_with("/open311/");
    if is_api || req.method() != actix_web::http::Method::GET {
        // A bare 404: the error handler turns it into a problem, or a 405 when the path
        // exists with other methods.
        return HttpResponse::NotFound().finish();
    }
    let file = match index {
        Some(index) => NamedFile::open_async(index).await.ok(),
        None => None,
    };
    match file {
        Some(file) => file.into_response(req),
        None => problem_response(
            StatusCode::NOT_FOUND,
            &problem(
                StatusCode::NOT_FOUND,
                "dashboard_not_built",
                "The Baqylau dashboard is not built: run `cargo xtask frontend` and restart \
                 the server. The API under /api/v1 works without it."
                    .to_owned(),
                Vec::new(),
                None,
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=0.5", "gzip"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("identity", "br"));
    }
}
