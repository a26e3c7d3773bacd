//! Both migration trees end in the same tables and columns.

use baqylau::db::compat::schema_columns;
use baqylau::db::Db;

use crate::helpers::*;

fn migrated_columns(backend: Backend) -> Option<(Vec<baqylau::db::compat::ColumnInfo>, DbGuard)> {
    let (target, guard, _dir) = fresh_database(backend)?;
    let db = Db::connect(target, 1).expect("connect");
    db.migrate().expect("migrate");
    let mut conn = db.get().expect("conn");
    Some((schema_columns(&mut conn).expect("columns"), guard))
}

#[test]
fn sqlite_and_postgres_schemas_are_equal() {
    let (sqlite, _g1) = migrated_columns(Backend::Sqlite).unwrap();
    let Some((postgres, _g2)) = migrated_columns(Backend::Postgres) else {
        return;
    };
    assert!(
        sqlite.len() > 100,
        "expected the full schema, got {} columns",
        sqlite.len()
    );
    let only_sqlite: Vec<_> = sqlite.iter().filter(|c| !postgres.contains(c)).collect();
    let only_postgres: Vec<_> = postgres.iter().filter(|c| !sqlite.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "schemas differ\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
}

#[test]
fn migrations_apply_twice_without_change() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some((target, _guard, _dir)) = fresh_database(backend) else {
            continue;
        };
        let db = Db::connect(target, 1).unwrap();
        assert!(!db.migrate().unwrap().is_empty());
        assert!(
            db.migrate().unwrap().is_empty(),
            "{backend:?}: second run applies nothing"
        );
        let mut conn = db.get().unwrap();
        let first = baqylau::refdata::load(&mut conn).unwrap();
        assert_eq!(first.territories, 1830);
        assert_eq!(first.categories, 35);
        let second = baqylau::refdata::load(&mut conn).unwrap();
        assert_eq!(
            second,
            baqylau::refdata::Loaded::default(),
            "{backend:?}: reference load is idempotent"
        );
    }
}

mod demo {
    use crate::both_backends;

    both_backends! {
        async fn demo_data_loads_once_through_the_api_code(app) {
            let mut conn = app.conn();
            assert!(baqylau::seed::demo(&mut conn).unwrap(), "first run loads");
            assert!(!baqylau::seed::demo(&mut conn).unwrap(), "second run is a no-op");
            assert!(matches!(baqylau::audit::verify(&mut conn).unwrap(), baqylau::audit::Verification::Intact { .. }));
            drop(conn);
            let admin = app.bearer_with(baqylau::seed::DEMO_ADMIN, baqylau::seed::DEMO_PASSWORD).await;
            let all = app.get("/api/v1/appeals?include_total=true", &admin).await.json();
            assert!(all["total"].as_i64().unwrap() >= 10);
            let baizak = app.bearer_with("baizak@baqylau.kz", baqylau::seed::DEMO_PASSWORD).await;
            let theirs = app.get("/api/v1/appeals?include_total=true", &baizak).await.json();
            assert!(theirs["total"].as_i64().unwrap() < all["total"].as_i64().unwrap(), "district staff see a subset");
            let regs: Vec<&str> = all["items"].as_array().unwrap().iter().map(|a| a["reg_number"].as_str().unwrap()).collect();
            assert!(regs.iter().any(|r| r.starts_with("ZHA-")) && regs.iter().any(|r| r.starts_with("TUR-")));
        }
    }
}
