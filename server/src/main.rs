//! The `server` binary: `serve`, the operator's `admin` commands, and `solve` (dispatch).
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the command line answers on stdout and reports failures on stderr"
)]

mod solve;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use domain::ids::OrgId;
use server::auth::{LoginLimits, PasswordCost};
use server::backup::Backups;
use server::http::ApiConfig;
use server::run;
use server::store::{PgStore, SledStore, Store};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "server",
    about = "Rounds: sync and console API server",
    version
)]
struct Cli {
    /// Data directory of the embedded database (sled), used unless --database is given.
    #[arg(long, env = "ROUNDS_DATA", default_value = "data", global = true)]
    data: PathBuf,
    /// A PostgreSQL database to keep the data in instead of --data, as
    /// postgres://user:password@host:port/database (its schema is made or upgraded at start).
    #[arg(long, env = "ROUNDS_DATABASE", hide_env_values = true, global = true)]
    database: Option<String>,
    /// Log as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "ROUNDS_LOG_JSON", global = true)]
    log_json: bool,
    /// argon2id memory cost in KiB (OWASP's 19456 by default; lower only for tests).
    #[arg(long, env = "ROUNDS_ARGON2_MEMORY_KIB", default_value_t = 19 * 1024, global = true)]
    argon2_memory_kib: u32,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the API server.
    Serve(ServeArgs),
    /// Operator commands. On sled run them while the server is stopped (its database is
    /// exclusive); on PostgreSQL they may run beside running servers.
    #[command(subcommand)]
    Admin(Admin),
    /// Solve a Solomon VRPTW instance and print the routes as JSON (for benchmarks).
    Solve(solve::SolveArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ROUNDS_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Seed the demo organization into an empty database and print its logins.
    #[arg(long, env = "ROUNDS_DEMO")]
    demo: bool,
    /// Seed of the demo generator.
    #[arg(long, env = "ROUNDS_DEMO_SEED", default_value_t = 1)]
    demo_seed: u64,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "ROUNDS_ACCESS_TTL", default_value_t = 900)]
    access_ttl: u64,
    /// Failed logins per account and client address per 15 minutes before that address's
    /// attempts on the account go one at a time, each after the longest delay.
    #[arg(long, env = "ROUNDS_LOGIN_LIMIT_PAIR", default_value_t = 10)]
    login_limit_pair: u32,
    /// Failed logins per account (from anywhere) before each attempt is delayed (1 s,
    /// doubling, at most --login-max-delay-ms).
    #[arg(long, env = "ROUNDS_LOGIN_FREE_FAILURES", default_value_t = 3)]
    login_free_failures: u32,
    /// The longest delay a sign-in is given, in milliseconds.
    #[arg(long, env = "ROUNDS_LOGIN_MAX_DELAY_MS", default_value_t = 4000)]
    login_max_delay_ms: u64,
    /// Base URL of an OSRM-compatible router (`/table` service) for dispatch travel times;
    /// without it dispatch estimates great-circle distance times a detour factor.
    #[arg(long, env = "ROUNDS_OSRM_URL")]
    osrm_url: Option<String>,
    /// The built web shell, served at `/` (`bash scripts/build-web.sh` makes it).
    #[arg(long, env = "ROUNDS_WEB_DIR", default_value = "web-shell/dist")]
    web_dir: std::path::PathBuf,
    /// Map tiles under the dispatcher's map: an http(s) URL template with `{z}`, `{x}` and
    /// `{y}`, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`. Its origin is the only
    /// one the web shell's Content-Security-Policy lets images come from; without it the map
    /// is a plain plot.
    #[arg(long, env = "ROUNDS_TILE_URL")]
    tile_url: Option<server::http::TileUrl>,
    /// A geocoding service for imported customers' positions: `amap`, `baidu` or
    /// `nominatim`. Without one, a customer with no position gets their district's centre,
    /// flagged approximate.
    #[arg(long, env = "ROUNDS_GEOCODER")]
    geocoder: Option<domain::places::geocode::Provider>,
    /// The service's base URL (default: the provider's public API over HTTPS).
    #[arg(long, env = "ROUNDS_GEOCODER_URL")]
    geocoder_url: Option<String>,
    /// AMap's `key` or Baidu's `ak`.
    #[arg(long, env = "ROUNDS_GEOCODER_KEY", hide_env_values = true)]
    geocoder_key: Option<String>,
    /// Take scheduled backups of the embedded database into this folder (best on another
    /// disk). `server admin backup` asks the running server for one at any time.
    #[arg(long, env = "ROUNDS_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// Minutes between scheduled backups (counted from the newest in the folder).
    #[arg(long, env = "ROUNDS_BACKUP_EVERY_MINUTES", default_value_t = 24 * 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    backup_every_minutes: u64,
    /// How many backups to keep in --backup-dir; older ones are removed after a new one is
    /// safely written.
    #[arg(long, env = "ROUNDS_BACKUP_KEEP", default_value_t = 7,
          value_parser = clap::value_parser!(u64).range(1..=10_000))]
    backup_keep: u64,
}

#[derive(Subcommand)]
enum Admin {
    /// Copy every organization from the sled database in --from to the PostgreSQL database
    /// --to, then check the copy (records, audit). Safe to run again; stop the servers on
    /// --from first (its database is exclusive).
    Migrate {
        /// The data directory of the sled database to copy from.
        #[arg(long)]
        from: PathBuf,
        /// The PostgreSQL database to copy to, as postgres://user:password@host:port/database.
        #[arg(long, hide_env_values = true)]
        to: String,
    },
    /// Create an organization and its first admin.
    CreateOrg {
        #[arg(long)]
        name: String,
        #[arg(long)]
        admin_login: String,
        #[arg(long, default_value = "Administrator")]
        admin_name: String,
        /// The admin's password (or set ROUNDS_PASSWORD).
        #[arg(long, env = "ROUNDS_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Set a new password for a login; ends all of that user's sessions.
    ResetPassword {
        #[arg(long)]
        login: String,
        #[arg(long, env = "ROUNDS_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// End all sessions of a login (a lost phone) without changing the password.
    EndSessions {
        #[arg(long)]
        login: String,
    },
    /// Remove a login's second factor (a lost authenticator and recovery codes); they enrol
    /// again at their next sign-in.
    RemoveSecondFactor {
        #[arg(long)]
        login: String,
    },
    /// Take a backup of the embedded database: the running server on --data takes it (its
    /// files are locked), else this command reads the stopped database itself.
    Backup {
        /// The folder to write it to (default: the running server's --backup-dir).
        #[arg(long)]
        to: Option<PathBuf>,
        /// Keep only the newest this many backups in that folder.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        keep: Option<u64>,
    },
    /// Restore a backup into --data, which must be new or empty; then start the server on it.
    /// The erasures logged since are applied again.
    Restore {
        /// The backup file (`rounds-<time>.rounds-backup`).
        #[arg(long)]
        from: PathBuf,
        /// The erasure log to apply again (default: `erasures.jsonl` beside the backup).
        #[arg(long)]
        erasures: Option<PathBuf>,
    },
    /// Write an organization's records and audit log to stdout as JSON lines.
    Export {
        #[arg(long)]
        org: OrgId,
    },
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    if let Command::Solve(args) = &cli.command {
        solve::run(args)?;
        return Ok(ExitCode::SUCCESS);
    }
    init_logs(cli.log_json);
    let cost = PasswordCost {
        memory_kib: cli.argon2_memory_kib,
        ..PasswordCost::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match &cli.command {
        Command::Admin(Admin::Migrate { from, to }) => {
            return runtime.block_on(migrate(from, to));
        }
        Command::Admin(Admin::Backup { to, keep }) => {
            return runtime.block_on(backup(&cli, to.clone(), keep.map(clamp_usize)));
        }
        Command::Admin(Admin::Restore { from, erasures }) => {
            return runtime.block_on(restore(&cli, from, erasures.clone()));
        }
        _ => {}
    }
    // The store's concrete type stays in hand to close it: queued writes finish first.
    let (store, sled, close): (Arc<dyn Store>, _, Box<dyn FnOnce()>) = match &cli.database {
        Some(url) => {
            let pg = Arc::new(PgStore::open(url).context("opening the PostgreSQL database")?);
            (pg.clone(), None, Box::new(move || pg.close()))
        }
        None => {
            let sled = Arc::new(
                SledStore::open(&cli.data)
                    .with_context(|| format!("opening the database in {}", cli.data.display()))?,
            );
            (
                sled.clone(),
                Some(sled.clone()),
                Box::new(move || sled.close()),
            )
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => {
                if sled.is_none() && args.backup_dir.is_some() {
                    anyhow::bail!(
                        "--backup-dir is for the embedded database; back up PostgreSQL with \
                         pg_dump (docs/ARCHITECTURE.md)"
                    );
                }
                let backups = sled.map(|sled| {
                    let keep = clamp_usize(args.backup_keep);
                    Arc::new(Backups::new(sled, args.backup_dir.clone(), keep))
                });
                let backups = backups.map(|b| (b, cli.data.clone()));
                let mut erasure_logs = vec![cli.data.join(ERASURE_LOG)];
                erasure_logs.extend(args.backup_dir.as_ref().map(|d| d.join(ERASURE_LOG)));
                let dirs = ServeDirs {
                    imports: cli.data.join("imports"),
                    erasure_logs,
                };
                serve(store.clone(), args, cost, dirs, backups).await
            }
            Command::Admin(cmd) => admin(&store, cmd, cost).await,
            Command::Solve(_) => Ok(ExitCode::SUCCESS),
        }
    });
    drop(store);
    // Finish queued writes (and, for sled, flush) before the process ends.
    close();
    result
}

/// `server admin migrate`: copies and checks, then says what the copy holds.
async fn migrate(from: &std::path::Path, to: &str) -> anyhow::Result<ExitCode> {
    let source = Arc::new(
        SledStore::open(from)
            .with_context(|| format!("opening the sled database in {}", from.display()))?,
    );
    let target = Arc::new(PgStore::open(to).context("opening the PostgreSQL database")?);
    let report = server::migrate::copy(source.as_ref(), target.as_ref())
        .await
        .context("copying")?;
    for o in &report.orgs {
        let records: usize = o.records.values().sum();
        println!(
            "organization {}: {records} records ({} copied now), {} audit entries ({} copied now),              {} people's credentials written; checked against the source",
            o.org.0, o.records_copied, o.audit, o.audit_copied, o.credentials_copied
        );
    }
    target.close();
    source.close();
    Ok(ExitCode::SUCCESS)
}

fn clamp_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// `server admin backup`: the running server takes it; a stopped database is read here.
async fn backup(cli: &Cli, to: Option<PathBuf>, keep: Option<usize>) -> anyhow::Result<ExitCode> {
    use server::backup::control::{Answer, Request, ask, socket_path};
    if cli.database.is_some() {
        anyhow::bail!(
            "on PostgreSQL, back up with pg_dump while the servers run (docs/ARCHITECTURE.md)"
        );
    }
    let request = Request::Backup {
        to: to.clone(),
        keep,
    };
    let taken = match ask(&socket_path(&cli.data), &request).await? {
        Some(Answer::Taken(t)) => t,
        Some(Answer::Failed(why)) => anyhow::bail!("{why}"),
        None => {
            let store = Arc::new(SledStore::open(&cli.data).with_context(|| {
                format!(
                    "no server answered on {} and the database could not be opened",
                    socket_path(&cli.data).display()
                )
            })?);
            let Some(to) = to else {
                anyhow::bail!("no server is running on {}: give --to", cli.data.display());
            };
            let taken = Backups::new(store.clone(), None, 1)
                .take(Some(&to), keep)
                .await;
            store.close();
            taken?
        }
    };
    println!(
        "backup written: {} ({} bytes, {} entries; writes waited {} ms, {} ms in all)",
        taken.path.display(),
        taken.bytes,
        taken.entries,
        taken.writes_waited_ms,
        taken.took_ms
    );
    for old in &taken.removed {
        println!("removed the older backup {}", old.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `server admin restore`, then the erasures logged since the backup, again.
async fn restore(
    cli: &Cli,
    from: &std::path::Path,
    erasures: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    if cli.database.is_some() {
        anyhow::bail!(
            "a backup of the embedded database is restored into --data; to move it to \
             PostgreSQL, restore it, then run `server admin migrate`"
        );
    }
    let restored = server::backup::restore::restore(from, &cli.data)?;
    println!(
        "restored {} entries into {}, as backed up at {} (server {})",
        restored.entries,
        cli.data.display(),
        restored.header.taken_at.to_rfc3339(),
        restored.header.server
    );
    for (org, head) in &restored.heads {
        println!("organization {org}: change log at {head}");
    }
    let log = erasures.unwrap_or_else(|| {
        from.parent()
            .unwrap_or(std::path::Path::new("."))
            .join(ERASURE_LOG)
    });
    let store = SledStore::open(&cli.data).context("opening the restored data")?;
    let replayed = server::privacy::replay(&store, &log).await;
    store.close();
    let n = replayed.with_context(|| format!("applying the erasures in {}", log.display()))?;
    // The restored data keeps the log, for the next restore from its own backups.
    if n > 0 {
        std::fs::copy(&log, cli.data.join(ERASURE_LOG))?;
    }
    println!("{n} erasures from {} applied again", log.display());
    Ok(ExitCode::SUCCESS)
}

/// Files the server keeps beside its data.
struct ServeDirs {
    imports: PathBuf,
    /// Where erasures are logged (`server::privacy`).
    erasure_logs: Vec<PathBuf>,
}

/// The erasure log's name, in the data folder and in the backup folder.
const ERASURE_LOG: &str = "erasures.jsonl";

fn init_logs(json: bool) {
    let filter = EnvFilter::try_from_env("ROUNDS_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn serve(
    store: Arc<dyn Store>,
    args: ServeArgs,
    cost: PasswordCost,
    dirs: ServeDirs,
    backups: Option<(Arc<Backups>, PathBuf)>,
) -> anyhow::Result<ExitCode> {
    let ServeDirs {
        imports: import_dir,
        erasure_logs,
    } = dirs;
    if args.demo {
        if store.orgs()?.is_empty() {
            // Dated from now, so that today's routes and due follow-ups are today's.
            let demo = demo::generate_at(
                args.demo_seed,
                chrono::Utc::now(),
                &demo::DemoSize::default(),
            );
            let org = demo.org;
            let logins = run::seed_demo(&store, demo, cost).await?;
            println!("Demo organization {org} seeded. Logins:");
            for l in &logins {
                println!("  {:<24} {:<16} {:?}", l.login, l.password, l.roles);
            }
        } else {
            tracing::info!("the database already has data; --demo left it as it is");
            // A demo is a working day on the day it was seeded; on a later day it is stale.
            let today = chrono::Utc::now()
                .with_timezone(&chrono_tz::Asia::Shanghai)
                .date_naive();
            for org in store.orgs()? {
                if let Some(day) = demo::seeded_on(org).filter(|d| *d < today)
                    && store.credentials("dispatch1")?.is_some()
                {
                    let notice = format!(
                        "the demo data is from {day}; delete ./data (or ROUNDS_DATA) and \
                         start again for a fresh day"
                    );
                    tracing::warn!("{notice}");
                    println!("{notice}");
                }
            }
            // Someone starting the demo a second time still needs to know how to sign in.
            if store.credentials("dispatch1")?.is_some() {
                println!(
                    "Demo logins (as seeded; password rounds-demo unless changed): admin, \
                     dispatch1..dispatch3, sales01.., tech01.."
                );
            }
        }
    }
    let config = ApiConfig {
        access_ttl: Duration::from_secs(args.access_ttl.max(1)),
        password_cost: cost,
        login_limits: LoginLimits {
            per_pair: args.login_limit_pair,
            free_failures: args.login_free_failures,
            max_delay: Duration::from_millis(args.login_max_delay_ms),
            ..LoginLimits::default()
        },
        osrm_url: args.osrm_url.clone(),
        web_dir: Some(args.web_dir.clone()),
        tile_url: args.tile_url.clone(),
        // Beside the sled database's files, or on its own under --data with PostgreSQL: an
        // import runs on the instance that took its file (see `server/src/imports.rs`).
        import_dir: Some(import_dir),
        erasure_logs: erasure_logs.clone(),
        geocoder: args.geocoder.map(|provider| {
            use domain::places::geocode::{Provider, Service};
            let base = args.geocoder_url.clone().unwrap_or_else(|| {
                match provider {
                    Provider::AMap => "https://restapi.amap.com",
                    Provider::Baidu => "https://api.map.baidu.com",
                    Provider::Nominatim => "https://nominatim.openstreetmap.org",
                }
                .to_owned()
            });
            Service {
                provider,
                base,
                key: args.geocoder_key.clone(),
            }
        }),
        ..ApiConfig::default()
    };
    // After the demo is seeded, so that the first backup has it.
    let socket = match backups {
        Some((backups, data)) => start_backups(backups, &data, args.backup_every_minutes).await,
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("binding {}", args.bind))?;
    let running = run::start(listener, store, config, shutdown_signal())?;
    tracing::info!(addr = %running.addr, "serving");
    // Flushed to stdout so that scripts can wait for it.
    println!("listening on http://{}", running.addr);
    running.stop_when_done().await?;
    if let Some(socket) = socket {
        let _ = std::fs::remove_file(socket);
    }
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The control socket `server admin backup` asks through, and the schedule.
/// The socket's path, if it listens.
async fn start_backups(
    backups: Arc<Backups>,
    data: &std::path::Path,
    every_minutes: u64,
) -> Option<PathBuf> {
    use server::backup::{control, schedule};
    let socket = control::socket_path(data);
    let listening = match control::listen(socket.clone(), backups.clone()).await {
        Ok(()) => Some(socket),
        Err(e) => {
            tracing::warn!(
                socket = %socket.display(), error = %e,
                "no control socket: `server admin backup` cannot reach this server"
            );
            None
        }
    };
    if backups.dir().is_some() {
        schedule::run(
            backups,
            Duration::from_secs(every_minutes.saturating_mul(60)),
        );
    }
    listening
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

async fn admin(store: &Arc<dyn Store>, cmd: Admin, cost: PasswordCost) -> anyhow::Result<ExitCode> {
    match cmd {
        // Opens its own two stores; handled before the default store is opened.
        Admin::Migrate { from, to } => return migrate(&from, &to).await,
        // They must not open the store themselves first (sled's files are exclusive).
        Admin::Backup { .. } | Admin::Restore { .. } => {
            anyhow::bail!("backup and restore are run before the store is opened")
        }
        Admin::CreateOrg {
            name,
            admin_login,
            admin_name,
            password,
        } => {
            let (org, user) =
                run::create_org(store, &name, &admin_login, &admin_name, &password, cost).await?;
            println!("organization {org}\nadmin {user} ({admin_login})");
        }
        Admin::ResetPassword { login, password } => {
            let id = run::reset_password(store, &login, &password, cost).await?;
            println!("password of {login} ({id}) reset; their sessions ended");
        }
        Admin::EndSessions { login } => {
            let id = run::end_sessions(store, &login).await?;
            println!("sessions of {login} ({id}) ended");
        }
        Admin::RemoveSecondFactor { login } => {
            let id = run::remove_second_factor(store, &login).await?;
            println!("second factor of {login} ({id}) removed");
        }
        Admin::Export { org } => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let n = run::export(store.as_ref(), org, &mut out)?;
            std::io::Write::flush(&mut out)?;
            eprintln!("{n} lines exported");
        }
    }
    Ok(ExitCode::SUCCESS)
}
