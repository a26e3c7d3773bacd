//! Demo data: staff of Zhambyl region and Baizak district, deputies, and appeals.

use diesel::prelude::*;

use crate::audit::Actor;
use crate::config::DatabaseArgs;
use crate::db::schema::{deputies, territories, users};
use crate::db::{compat, DbConn};
use crate::routes::users::{create_user, NewUser};

/// Password of every demo account. Printed by `baqylau seed --demo`.
pub const DEMO_PASSWORD: &str = "baqylau-demo-2026";
pub const DEMO_ADMIN: &str = "admin@baqylau.kz";

pub fn run_demo(args: &DatabaseArgs) -> anyhow::Result<()> {
    let db = crate::cli::open_db(args)?;
    let mut conn = db
        .get()
        .map_err(|_| anyhow::anyhow!("database unavailable"))?;
    let created = demo(&mut conn)?;
    if created {
        println!("demo data loaded");
    } else {
        println!("demo data already present");
    }
    println!("sign in as {DEMO_ADMIN} / {DEMO_PASSWORD} (also: zhambyl@, baizak@, deputy@, viewer@baqylau.kz)");
    Ok(())
}

fn territory_id(conn: &mut DbConn, kato: &str) -> anyhow::Result<i64> {
    Ok(territories::table
        .filter(territories::kato_code.eq(kato))
        .select(territories::id)
        .first(conn)?)
}

/// Loads the demo once; returns false when it was already there.
pub fn demo(conn: &mut DbConn) -> anyhow::Result<bool> {
    let present: Option<i64> = users::table
        .filter(users::email.eq(DEMO_ADMIN))
        .select(users::id)
        .first(conn)
        .optional()?;
    if present.is_some() {
        return Ok(false);
    }
    let actor = Actor::system("baqylau seed --demo");
    let zhambyl = territory_id(conn, "310000000")?;
    let baizak = territory_id(conn, "313600000")?;
    let sarykemer = territory_id(conn, "313630000")?;
    let now = compat::now();
    let deputy_id: i64 = diesel::insert_into(deputies::table)
        .values((
            deputies::full_name.eq("Асқаров Ерлан Бекұлы"),
            deputies::level.eq("district"),
            deputies::maslikhat_territory_id.eq(baizak),
            deputies::territory_path.eq("/310000000/313600000/"),
            deputies::okrug.eq("№ 7 Сарыкемер сайлау округі"),
            deputies::mandate_status.eq("active"),
            deputies::created_at.eq(now),
            deputies::updated_at.eq(now),
        ))
        .returning(deputies::id)
        .get_result(conn)?;
    let people = [
        (DEMO_ADMIN, "Әкімші (демо)", "admin", None, None),
        (
            "zhambyl@baqylau.kz",
            "Жамбыл облыстық филиалы",
            "regional_staff",
            Some(zhambyl),
            None,
        ),
        (
            "baizak@baqylau.kz",
            "Байзақ аудандық филиалы",
            "district_staff",
            Some(baizak),
            None,
        ),
        (
            "deputy@baqylau.kz",
            "Асқаров Ерлан",
            "deputy",
            Some(sarykemer),
            Some(deputy_id),
        ),
        (
            "viewer@baqylau.kz",
            "Бақылаушы",
            "viewer",
            Some(zhambyl),
            None,
        ),
    ];
    for (email, name, role, territory_id, deputy_id) in people {
        create_user(
            conn,
            &actor,
            NewUser {
                email: email.to_owned(),
                display_name: name.to_owned(),
                password: DEMO_PASSWORD.to_owned(),
                role: role.to_owned(),
                territory_id,
                deputy_id,
                active: true,
            },
        )
        .map_err(|e| anyhow::anyhow!("demo user {email}: {e}"))?;
    }
    Ok(true)
}
