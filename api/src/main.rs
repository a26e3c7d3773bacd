//! The `baqylau` binary: parse the command line, then hand over to the library.

use baqylau::cli::{AuditCommand, Cli, Command, Copy, RatingsCommand, UserCommand};
use baqylau::config::Settings;
use clap::{Args, CommandFactory, FromArgMatches};

fn main() -> anyhow::Result<()> {
    baqylau::telemetry::init();
    let cli = Cli::from_arg_matches(&Cli::command().get_matches())?;
    let command = match cli.command {
        Some(command) => command,
        // `baqylau` alone serves, with settings from the environment.
        None => Command::Serve(Box::new(Settings::from_arg_matches(
            &Settings::augment_args(clap::Command::new("baqylau")).get_matches_from(["baqylau"]),
        )?)),
    };
    match command {
        Command::Serve(settings) => serve(*settings),
        Command::Migrate(db) => baqylau::cli::migrate(&db),
        Command::Seed {
            demo,
            scale,
            seed,
            database,
        } => match scale {
            Some(appeals) => baqylau::seed::scale::run(
                &database,
                baqylau::seed::scale::Options { appeals, seed },
            ),
            None if demo => baqylau::seed::run_demo(&database),
            None => anyhow::bail!("nothing to seed: pass --demo or --scale <appeals>"),
        },
        Command::Openapi => {
            println!(
                "{}",
                baqylau::http::startup::openapi_spec().to_pretty_json()?
            );
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    password,
                    role,
                    territory,
                    display_name,
                    database,
                },
        } => baqylau::cli::user_create(
            &database,
            &email,
            &password,
            &role,
            territory.as_deref(),
            display_name.as_deref(),
        ),
        Command::Audit {
            command: AuditCommand::Verify(db),
        } => {
            if baqylau::cli::audit_verify(&db)? {
                Ok(())
            } else {
                std::process::exit(1)
            }
        }
        Command::Ratings {
            command:
                RatingsCommand::Snapshot {
                    month,
                    rating,
                    database,
                },
        } => baqylau::cli::ratings_snapshot(&database, &rating, month.as_deref()).map(|_| ()),
        Command::Backup {
            to,
            force,
            database,
        } => baqylau::cli::copy(&database, Copy::Backup, &to, force),
        Command::Restore {
            from,
            force,
            database,
        } => baqylau::cli::copy(&database, Copy::Restore, &from, force),
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        tracing::info!(settings = ?settings, "starting");
        let app = baqylau::http::startup::Application::build(settings)?;
        tracing::info!(port = app.port(), "listening");
        app.run_until_stopped().await?;
        tracing::info!("stopped");
        Ok(())
    })
}
