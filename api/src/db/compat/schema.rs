//! Reading the schema back from either backend, so that a test can check that the two
//! migration trees define the same columns, checks, indexes and foreign keys.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::{backend, Backend};
use crate::db::DbConn;

#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub column_name: String,
    #[diesel(sql_type = Text)]
    pub data_type: String,
    #[diesel(sql_type = BigInt)]
    pub not_null: i64,
}

/// Tables that exist on one backend only, by design: SQLite's FTS5 index and its shadow
/// tables, and each migration runner's bookkeeping.
pub fn is_backend_specific_table(name: &str) -> bool {
    name.starts_with("appeals_fts")
        || name.starts_with("sqlite_")
        || name == "__diesel_schema_migrations"
}

/// A column one backend has by design: PostgreSQL's stored tsvector of an appeal's
/// search text (SQLite indexes the same text in its FTS5 table, `appeals_fts`).
pub fn is_backend_specific_column(table: &str, column: &str) -> bool {
    table == "appeals" && column == "search_vector"
}

/// Every column of every application table, with its type folded to a family both
/// backends share (integer, text, boolean, timestamp, date, real).
pub fn schema_columns(conn: &mut DbConn) -> QueryResult<Vec<ColumnInfo>> {
    let rows: Vec<ColumnInfo> = match backend(conn) {
        Backend::Postgres => diesel::sql_query(
            "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                    c.data_type::text AS data_type, \
                    CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END::bigint AS not_null \
             FROM information_schema.columns c \
             JOIN information_schema.tables t \
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'",
        )
        .load(conn)?,
        Backend::Sqlite => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
                    CAST((p.\"notnull\" OR p.pk) AS BIGINT) AS not_null \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table'",
        )
        .load(conn)?,
    };
    let mut rows: Vec<ColumnInfo> = rows
        .into_iter()
        .filter(|c| !is_backend_specific_table(&c.table_name))
        .filter(|c| !is_backend_specific_column(&c.table_name, &c.column_name))
        .map(|c| ColumnInfo {
            data_type: type_family(&c.data_type).to_owned(),
            ..c
        })
        .collect();
    rows.sort();
    Ok(rows)
}

fn type_family(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("timestamp") {
        "timestamp"
    } else if t == "date" {
        "date"
    } else if t.contains("double") || t.contains("real") || t.contains("float") {
        "real"
    } else if t.contains("text") || t.contains("char") {
        "text"
    } else {
        "other"
    }
}

/// A CHECK constraint: the table and the expression inside `CHECK (...)`, as the backend
/// keeps it (PostgreSQL rewrites `x IN ('a', 'b')` as `(x = ANY (ARRAY['a'::text, ...]))`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CheckInfo {
    pub table_name: String,
    pub expression: String,
}

#[derive(QueryableByName)]
struct TableSql {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    sql: String,
}

/// Every CHECK constraint of every application table. SQLite keeps no catalog of
/// constraints, only each table's `CREATE TABLE` text, so they are read out of it.
pub fn schema_checks(conn: &mut DbConn) -> QueryResult<Vec<CheckInfo>> {
    let mut checks: Vec<CheckInfo> = match backend(conn) {
        Backend::Postgres => diesel::sql_query(
            "SELECT t.relname::text AS table_name, pg_get_constraintdef(c.oid) AS sql \
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
             WHERE c.contype = 'c' AND t.relnamespace = current_schema()::regnamespace",
        )
        .load::<TableSql>(conn)?
        .into_iter()
        .flat_map(|t| check_expressions(&t.sql).into_iter().map(move |e| (t.table_name.clone(), e)))
        .map(|(table_name, expression)| CheckInfo { table_name, expression })
        .collect(),
        Backend::Sqlite => diesel::sql_query(
            "SELECT name AS table_name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL",
        )
        .load::<TableSql>(conn)?
        .into_iter()
        .flat_map(|t| check_expressions(&t.sql).into_iter().map(move |e| (t.table_name.clone(), e)))
        .map(|(table_name, expression)| CheckInfo { table_name, expression })
        .collect(),
    };
    checks.retain(|c| !is_backend_specific_table(&c.table_name));
    checks.sort();
    Ok(checks)
}

/// The expressions of the `CHECK (...)` clauses in `sql`, with `--` comments ignored and
/// parentheses inside quoted strings not counted.
fn check_expressions(sql: &str) -> Vec<String> {
    let code: String = sql
        .lines()
        .map(strip_comment)
        .collect::<Vec<_>>()
        .join("\n");
    let upper = code.to_ascii_uppercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = upper[from..].find("CHECK") {
        let after = from + at + "CHECK".len();
        from = after;
        let rest = code[after..].trim_start();
        if !rest.starts_with('(') {
            continue;
        }
        let open = code.len() - rest.len();
        let (mut depth, mut quoted) = (0usize, false);
        for (i, ch) in code[open..].char_indices() {
            match ch {
                '\'' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => {
                    depth -= 1;
                    if depth == 0 {
                        found.push(code[open + 1..open + i].trim().to_owned());
                        from = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    found
}

fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    let bytes = line.as_bytes();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'\'' => quoted = !quoted,
            b'-' if !quoted && bytes.get(i + 1) == Some(&b'-') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// An index: its name, table, columns in order (empty for an expression index), whether
/// it is unique, and why it exists — `c` created by `CREATE INDEX`, `u` backing a UNIQUE
/// constraint, `pk` backing the primary key (SQLite's `pragma_index_list` origins).
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexInfo {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub columns: String,
    #[diesel(sql_type = BigInt)]
    pub unique: i64,
    #[diesel(sql_type = Text)]
    pub origin: String,
}

/// Every index of every application table.
pub fn schema_indexes(conn: &mut DbConn) -> QueryResult<Vec<IndexInfo>> {
    let mut rows: Vec<IndexInfo> = match backend(conn) {
        Backend::Postgres => diesel::sql_query(
            "SELECT t.relname::text AS table_name, i.relname::text AS name, \
                    COALESCE((SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                              FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                              JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum), '') AS columns, \
                    CASE WHEN x.indisunique THEN 1 ELSE 0 END::bigint AS \"unique\", \
                    CASE WHEN x.indisprimary THEN 'pk' \
                         WHEN EXISTS (SELECT 1 FROM pg_constraint c \
                                      WHERE c.conindid = x.indexrelid AND c.contype = 'u' \
                                        AND c.conrelid = t.oid) THEN 'u' \
                         ELSE 'c' END AS origin \
             FROM pg_index x \
             JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_class t ON t.oid = x.indrelid \
             WHERE t.relnamespace = current_schema()::regnamespace",
        )
        .load(conn)?,
        Backend::Sqlite => diesel::sql_query(
            "SELECT m.name AS table_name, il.name AS name, \
                    COALESCE((SELECT group_concat(name, ',') FROM \
                              (SELECT ii.name FROM pragma_index_info(il.name) ii ORDER BY ii.seqno)), '') AS columns, \
                    CAST(il.\"unique\" AS BIGINT) AS \"unique\", il.origin AS origin \
             FROM sqlite_master m JOIN pragma_index_list(m.name) il \
             WHERE m.type = 'table'",
        )
        .load(conn)?,
    };
    rows.retain(|i| !is_backend_specific_table(&i.table_name));
    rows.sort();
    Ok(rows)
}

/// A foreign key: `table (columns) REFERENCES ref_table (ref_columns)`. SQLite does not
/// name them, so names are left out.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKeyInfo {
    #[diesel(sql_type = Text)]
    pub table_name: String,
    #[diesel(sql_type = Text)]
    pub columns: String,
    #[diesel(sql_type = Text)]
    pub ref_table: String,
    #[diesel(sql_type = Text)]
    pub ref_columns: String,
}

/// Every foreign key of every application table.
pub fn schema_foreign_keys(conn: &mut DbConn) -> QueryResult<Vec<ForeignKeyInfo>> {
    let mut rows: Vec<ForeignKeyInfo> = match backend(conn) {
        Backend::Postgres => diesel::sql_query(
            "SELECT t.relname::text AS table_name, \
                    (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                     FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) \
                     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns, \
                    r.relname::text AS ref_table, \
                    (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                     FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord) \
                     JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_columns \
             FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_class r ON r.oid = c.confrelid \
             WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace",
        )
        .load(conn)?,
        Backend::Sqlite => diesel::sql_query(
            "SELECT m.name AS table_name, group_concat(fk.\"from\", ',') AS columns, \
                    fk.\"table\" AS ref_table, group_concat(COALESCE(fk.\"to\", ''), ',') AS ref_columns \
             FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk \
             WHERE m.type = 'table' \
             GROUP BY m.name, fk.id, fk.\"table\"",
        )
        .load(conn)?,
    };
    rows.retain(|f| !is_backend_specific_table(&f.table_name));
    rows.sort();
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_clauses_are_found_with_nested_parentheses() {
        let sql = "CREATE TABLE t (\n    -- not a CHECK (x) here\n    \
                   a TEXT CHECK (a IN ('x)', 'y')),\n    id INTEGER CHECK(id = 1)\n)";
        assert_eq!(check_expressions(sql), ["a IN ('x)', 'y')", "id = 1"]);
        assert_eq!(
            check_expressions("CHECK ((kind = ANY (ARRAY['a'::text, 'b'::text])))"),
            ["(kind = ANY (ARRAY['a'::text, 'b'::text]))"]
        );
    }
}
