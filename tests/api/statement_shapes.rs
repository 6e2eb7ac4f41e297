//! Every statement the API sends to PostgreSQL has a shape Citus can route to
//! one tenant's shard: each tenant-owned table it reads or writes is pinned to
//! a tenant (`t.tenant_id = $n`), directly or through a join or correlated
//! subquery that matches `tenant_id` (`a.tenant_id = b.tenant_id`), and each
//! insert names `tenant_id`. A join on ids alone, or a lookup by a key without
//! the tenant, would fan out to every shard (or be refused as a repartition
//! join).
//!
//! Every PostgreSQL test app records the statements its pool runs; when the app
//! is dropped, [`assert_tenant_shaped`] checks them, so the whole API suite is
//! the corpus. Set `HEARTH_STATEMENT_SHAPES=path` to also collect the distinct
//! shapes seen into that file (one per line), e.g. to count them.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::sync::{LazyLock, Mutex, OnceLock};

use diesel::{Connection, PgConnection, RunQueryDsl};
use regex::Regex;

/// Words that end a table reference instead of naming its alias.
const NOT_AN_ALIAS: &[&str] = &[
    "where",
    "inner",
    "left",
    "right",
    "full",
    "cross",
    "join",
    "on",
    "group",
    "order",
    "limit",
    "offset",
    "having",
    "set",
    "as",
    "union",
    "for",
    "returning",
    "using",
    "natural",
    "window",
    "values",
    "default",
];

static QUALIFIED_EQUALITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\w+)\.tenant_id\s*=\s*(?:(\w+)\.tenant_id|(\$\d+|'[^']*'))").unwrap()
});
static REVERSED_EQUALITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\$\d+|'[^']*')\s*=\s*(\w+)\.tenant_id").unwrap());
static UNQUALIFIED_ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^.\w])tenant_id\s*=\s*(\$\d+|'[^']*')").unwrap());
static INSERT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^insert into (\w+)\s*\(([^)]*)\)").unwrap());
static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$\d+|'[^']*'|[\w.]+|[(),]|\S").unwrap());

/// One table mentioned by a statement, under the name its predicates use.
#[derive(Debug)]
struct Reference {
    table: String,
    name: String,
}

/// The SQL with quotes around identifiers removed and everything lowercase.
fn normalise(sql: &str) -> String {
    sql.replace('"', "").to_lowercase()
}

/// The tables after FROM, JOIN and UPDATE, with their aliases.
fn references(sql: &str, tenant_owned: &HashSet<String>) -> Vec<Reference> {
    let tokens: Vec<&str> = TOKEN.find_iter(sql).map(|m| m.as_str()).collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if matches!(tokens[i], "from" | "join" | "update") {
            let mut j = i + 1;
            loop {
                while tokens.get(j) == Some(&"(") {
                    j += 1;
                }
                let Some(table) = tokens.get(j) else { break };
                if !tenant_owned.contains(*table) {
                    break;
                }
                let mut name = (*table).to_string();
                let mut k = j + 1;
                if tokens.get(k) == Some(&"as") {
                    k += 1;
                }
                if let Some(alias) = tokens.get(k)
                    && alias.chars().all(|c| c.is_alphanumeric() || c == '_')
                    && !NOT_AN_ALIAS.contains(alias)
                {
                    name = (*alias).to_string();
                    k += 1;
                }
                found.push(Reference {
                    table: (*table).to_string(),
                    name,
                });
                // `FROM a, b`: another reference follows the comma.
                if tokens.get(k) == Some(&",") {
                    j = k + 1;
                    continue;
                }
                break;
            }
        }
        i += 1;
    }
    found
}

/// What is wrong with `sql` for a database distributed by `tenant_id`
/// (nothing: empty).
pub fn violations(sql: &str, tenant_owned: &HashSet<String>) -> Vec<String> {
    let sql = normalise(sql);
    let sql = sql.trim();
    if let Some(insert) = INSERT.captures(sql) {
        let table = &insert[1];
        let names_tenant = insert[2].split(',').any(|c| c.trim() == "tenant_id");
        if tenant_owned.contains(table) && !names_tenant {
            return vec![format!("INSERT INTO {table} without tenant_id")];
        }
        return Vec::new();
    }
    if !["select", "update", "delete", "with"]
        .iter()
        .any(|verb| sql.starts_with(verb))
    {
        return Vec::new();
    }
    let refs = references(sql, tenant_owned);
    if refs.is_empty() {
        return Vec::new();
    }
    // Union-find over the references: joined when their tenant_ids are equated.
    let index: HashMap<&str, usize> = refs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut parent: Vec<usize> = (0..refs.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut anchored = vec![false; refs.len()];
    for eq in QUALIFIED_EQUALITY.captures_iter(sql) {
        let Some(&left) = index.get(&eq[1]) else {
            continue;
        };
        match (eq.get(2), eq.get(3)) {
            (Some(other), _) => {
                if let Some(&right) = index.get(other.as_str()) {
                    let (a, b) = (root(&mut parent, left), root(&mut parent, right));
                    parent[a] = b;
                }
            }
            (None, Some(_)) => anchored[left] = true,
            (None, None) => {}
        }
    }
    for eq in REVERSED_EQUALITY.captures_iter(sql) {
        if let Some(&i) = index.get(&eq[2]) {
            anchored[i] = true;
        }
    }
    if refs.len() == 1 && UNQUALIFIED_ANCHOR.is_match(sql) {
        anchored[0] = true;
    }
    let mut anchored_roots = HashSet::new();
    for (i, pinned) in anchored.iter().enumerate() {
        if *pinned {
            anchored_roots.insert(root(&mut parent, i));
        }
    }
    let mut problems = Vec::new();
    for (i, reference) in refs.iter().enumerate() {
        if !anchored_roots.contains(&root(&mut parent, i)) {
            problems.push(if refs.len() == 1 {
                format!("{} without a tenant_id predicate", reference.table)
            } else {
                format!(
                    "{} ({}) neither pinned to a tenant nor joined on tenant_id",
                    reference.table, reference.name
                )
            });
        }
    }
    problems
}

/// The tables with a `tenant_id` column, read from the database at `url`.
pub fn tenant_owned_tables(url: &str) -> HashSet<String> {
    static TABLES: OnceLock<HashSet<String>> = OnceLock::new();
    TABLES
        .get_or_init(|| {
            #[derive(diesel::QueryableByName)]
            struct Table {
                #[diesel(sql_type = diesel::sql_types::Text)]
                table_name: String,
            }
            let mut conn = PgConnection::establish(url).expect("connect");
            diesel::sql_query(
                "SELECT table_name::text AS table_name FROM information_schema.columns \
                 WHERE table_schema = 'public' AND column_name = 'tenant_id'",
            )
            .load::<Table>(&mut conn)
            .expect("tenant-owned tables")
            .into_iter()
            .map(|t| t.table_name)
            .collect()
        })
        .clone()
}

/// Shapes already written to `HEARTH_STATEMENT_SHAPES`.
static COLLECTED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Panics, naming each statement, when a recorded statement is not shaped
/// for a database distributed by tenant.
pub fn assert_tenant_shaped(statements: &[String], url: &str) {
    // Only PostgreSQL apps record their statements; the tables are read
    // from the first app's database, which must then be a PostgreSQL one.
    if statements.is_empty() {
        return;
    }
    let tenant_owned = tenant_owned_tables(url);
    let mut bad = BTreeSet::new();
    for sql in statements {
        for problem in violations(sql, &tenant_owned) {
            bad.insert(format!("{problem}:\n    {sql}"));
        }
    }
    collect(statements);
    assert!(
        bad.is_empty(),
        "statements that would fan out across tenants' shards:\n{}",
        bad.into_iter().collect::<Vec<_>>().join("\n")
    );
}

fn collect(statements: &[String]) {
    let Ok(path) = std::env::var("HEARTH_STATEMENT_SHAPES") else {
        return;
    };
    let mut collected = COLLECTED.lock().unwrap_or_else(|e| e.into_inner());
    let new: Vec<&String> = statements
        .iter()
        .filter(|sql| collected.insert((*sql).clone()))
        .collect();
    if new.is_empty() {
        return;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .expect("open HEARTH_STATEMENT_SHAPES");
    for sql in new {
        writeln!(file, "{}", sql.replace('\n', " ")).expect("write shape");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned() -> HashSet<String> {
        [
            "users",
            "point_entries",
            "redemptions",
            "rewards",
            "refresh_tokens",
        ]
        .map(String::from)
        .into()
    }

    #[test]
    fn a_lookup_pinned_to_a_tenant_passes() {
        let sql = r#"SELECT "users"."id" FROM "users" WHERE (("users"."tenant_id" = $1) AND ("users"."id" = $2))"#;
        assert_eq!(violations(sql, &owned()), Vec::<String>::new());
        let raw = "UPDATE users SET points_balance = points_balance + $1 WHERE tenant_id = $2 AND id = $3";
        assert_eq!(violations(raw, &owned()), Vec::<String>::new());
    }

    #[test]
    fn a_lookup_by_a_key_alone_fails() {
        let sql = r#"SELECT "refresh_tokens"."id" FROM "refresh_tokens" WHERE ("refresh_tokens"."token_hash" = $1)"#;
        assert_eq!(
            violations(sql, &owned()),
            ["refresh_tokens without a tenant_id predicate"]
        );
        let delete = r#"DELETE FROM "users" WHERE ("users"."id" = $1)"#;
        assert_eq!(violations(delete, &owned()).len(), 1);
    }

    #[test]
    fn a_join_must_match_tenant_ids() {
        let bad = r#"SELECT "redemptions"."id", "rewards"."name" FROM ("redemptions" INNER JOIN "rewards" ON ("redemptions"."reward_id" = "rewards"."id")) WHERE ("redemptions"."tenant_id" = $1)"#;
        assert_eq!(
            violations(bad, &owned()),
            ["rewards (rewards) neither pinned to a tenant nor joined on tenant_id"]
        );
        let good = r#"SELECT "redemptions"."id", "rewards"."name" FROM ("redemptions" INNER JOIN "rewards" ON (("rewards"."tenant_id" = "redemptions"."tenant_id") AND ("rewards"."id" = "redemptions"."reward_id"))) WHERE ("redemptions"."tenant_id" = $1)"#;
        assert_eq!(violations(good, &owned()), Vec::<String>::new());
    }

    #[test]
    fn aliases_and_correlated_subqueries_are_followed() {
        let sql = "SELECT COUNT(*) AS n FROM users u WHERE u.tenant_id = $1 AND u.points_balance <> \
                   (SELECT COALESCE(SUM(e.amount), 0) FROM point_entries e \
                    WHERE e.tenant_id = u.tenant_id AND e.user_id = u.id)";
        assert_eq!(violations(sql, &owned()), Vec::<String>::new());
        let unpinned = "SELECT COUNT(*) FROM users u WHERE u.points_balance > 0";
        assert_eq!(violations(unpinned, &owned()).len(), 1);
    }

    #[test]
    fn inserts_must_name_the_tenant() {
        let good = r#"INSERT INTO "users" ("id", "tenant_id", "email") VALUES ($1, $2, $3)"#;
        assert_eq!(violations(good, &owned()), Vec::<String>::new());
        let bad = r#"INSERT INTO "users" ("id", "email") VALUES ($1, $2)"#;
        assert_eq!(
            violations(bad, &owned()),
            ["INSERT INTO users without tenant_id"]
        );
    }

    #[test]
    fn statements_on_global_tables_are_not_checked() {
        let sql = r#"SELECT "tenants"."id" FROM "tenants" WHERE ("tenants"."slug" = $1)"#;
        assert_eq!(violations(sql, &owned()), Vec::<String>::new());
        assert_eq!(violations("BEGIN", &owned()), Vec::<String>::new());
    }
}
