//! The `hearth` command line. No subcommand means `serve`.

use clap::{Parser, Subcommand};

use crate::auth::password::Passwords;
use crate::auth::{Role, Scopes, UserStatus};
use crate::config::Settings;
use crate::error::ApiError;
use crate::identity::service::accounts::{self, NewAccount};
use crate::request_context::RequestMeta;
use crate::tenants::{self, NewTenant};

/// Hearth: points, rewards, attendance and dues for community programmes.
#[derive(Debug, Parser)]
#[command(name = "hearth", version, about)]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document as JSON.
    Openapi,
    /// Manage tenants.
    Tenant {
        /// Tenant action.
        #[command(subcommand)]
        action: TenantCommand,
    },
    /// Manage users.
    User {
        /// User action.
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Create a `demo` tenant with sample data and print its credentials.
    Demo,
    /// Fill an empty database with the benchmarks' volume of data (tenants
    /// bench-01 …); see bench/README.md.
    SeedBench(crate::tools::bench_seed::Volume),
}

/// User subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an active admin. The password is read from standard input (or asked
    /// for at a prompt), never taken as an argument: arguments leak into shell
    /// history and process lists.
    CreateAdmin {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Email address.
        #[arg(long)]
        email: String,
        /// Display name (defaults to the part of the email before '@').
        #[arg(long)]
        name: Option<String>,
    },
}

/// Tenant subcommands.
#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant (an organisation).
    Create {
        /// URL-safe unique name: 3-40 of a-z, 0-9 and '-'.
        #[arg(long)]
        slug: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// ISO 4217 currency of dues.
        #[arg(long, default_value = "EUR")]
        currency: String,
        /// IANA time zone.
        #[arg(long, default_value = "UTC")]
        timezone: String,
        /// Registration policy: open, approval or closed.
        #[arg(long, default_value = "approval")]
        registration: String,
    },
}

/// `hearth migrate`.
pub fn migrate(settings: &Settings) -> Result<(), String> {
    let db = crate::startup::connect(settings, false)?;
    let mut conn = db
        .pool()
        .get()
        .map_err(|e| format!("cannot open a database connection: {e}"))?;
    let applied = crate::db::run_migrations(&mut conn)?;
    if applied.is_empty() {
        println!("database is up to date");
    } else {
        println!("applied: {}", applied.join(", "));
    }
    Ok(())
}

/// `hearth tenant create`.
pub fn create_tenant(settings: &Settings, action: &TenantCommand) -> Result<(), String> {
    let TenantCommand::Create {
        slug,
        name,
        currency,
        timezone,
        registration,
    } = action;
    let tenant =
        NewTenant::parse(slug, name, currency, timezone, registration).map_err(|errors| {
            errors
                .iter()
                .map(|e| format!("--{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("\n")
        })?;
    let db = crate::startup::connect(settings, settings.database.auto_migrate)?;
    let mut conn = db
        .pool()
        .get()
        .map_err(|e| format!("cannot open a database connection: {e}"))?;
    let created = crate::db::write_tx(&mut conn, |conn| {
        tenants::repo::insert_unless_taken(conn, &tenant)
    })
    .map_err(|e: diesel::result::Error| format!("cannot create the tenant: {e}"))?;
    if !created {
        return Err(format!(
            "a tenant with slug {:?} already exists",
            tenant.slug()
        ));
    }
    println!("created tenant {} ({})", tenant.slug(), tenant.id());
    Ok(())
}

/// Reads a password from the terminal without echo, or the first line of
/// standard input when it is not a terminal.
fn read_password() -> Result<String, String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ")
            .map_err(|e| format!("cannot read the password: {e}"))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        return Err("no password given on standard input".into());
    }
    Ok(password)
}

/// `hearth user create-admin`.
pub fn create_admin(settings: &Settings, action: &UserCommand) -> Result<(), String> {
    let UserCommand::CreateAdmin {
        tenant,
        email,
        name,
    } = action;
    let password = read_password()?;
    let db = crate::startup::connect(settings, settings.database.auto_migrate)?;
    let name = name
        .clone()
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_string());
    let slug = tenant.clone();
    let user = actix_web::rt::System::new().block_on(async move {
        let tenant = db
            .read(move |conn| Ok(tenants::repo::find_by_slug(conn, &slug)?))
            .await?
            .ok_or_else(|| ApiError::not_found().with_detail("no tenant has this slug"))?;
        let account = NewAccount {
            tenant: tenant.id,
            email: email.clone(),
            display_name: name,
            password,
            role: Role::Admin,
            scopes: Scopes::NONE,
            status: UserStatus::Active,
            household_code: None,
        };
        let passwords = Passwords::new(1);
        accounts::create(
            &db,
            &passwords,
            account,
            None,
            "user.create",
            RequestMeta::default(),
        )
        .await
    });
    let user = user.map_err(|e| e.describe())?;
    println!("created admin {email} ({}) in tenant {tenant}", user.id);
    Ok(())
}
