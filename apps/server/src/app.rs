//! Builds the application from settings: storage, services, and the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;

use accounts::{AccountService, AccountSettings, EmailVerification, ThrottleLimits};
use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::{App, HttpServer, web};
use chrono::Duration;
use cluster::{
    ByEngine, Executor, KubernetesExecutor, LeaseSettings, LocalExecutor, LocalSettings, ProcessExecutor,
    ProcessSettings, ReplicaId, Replicated, TorchExecutor, TorchSettings, TrainingSlots,
};
use datastore::archive::ZipLimits;
use datastore::{DataService, DataSettings, LocalBlobStore};
use db::Database;
use utoipa_swagger_ui::{Config, SwaggerUi};
use workbench::{FetchSettings, ModelInputs, Workbench, WorkbenchSettings};

use crate::error::ApiError;
use crate::mail::MailTransport;
use crate::routes::MethodTable;
use crate::settings::{EmailVerificationSetting, Settings};
use crate::state::{AppState, Bench};
use crate::{normalize, openapi, routes, secret, telemetry};

pub struct Application {
    server: Server,
    address: std::net::SocketAddr,
    shutdown: crate::hand_over::Shutdown,
}

impl Application {
    pub fn build(settings: &Settings) -> Result<Self, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(&settings.data_dir)?;
        let database = Database::connect(&settings.database_url())?;
        tracing::info!(backend = database.backend_name(), "database ready");
        let accounts = Arc::new(account_service(settings, database.clone())?);
        // Bound first: process workers are told the address the server really has.
        let listener = TcpListener::bind(&settings.bind)?;
        let address = listener.local_addr()?;
        let bench = workbench(settings, database, address)?;
        let swept = bench.data().sweep()?;
        if swept > 0 {
            tracing::info!(swept, "removed leftovers of interrupted uploads");
        }
        let orphans = bench.sweep_orphan_checkpoints()?;
        if orphans > 0 {
            tracing::info!(swept = orphans, "removed checkpoints of runs no longer recorded");
        }
        let resuming = Arc::new(std::sync::atomic::AtomicBool::new(false));
        crate::hand_over::keep_resuming(bench.clone(), resuming.clone())?;
        let state = web::Data::new(AppState { accounts, bench });
        let shutdown = crate::hand_over::Shutdown {
            state: state.clone(),
            resuming,
            timeout: std::time::Duration::from_secs(settings.shutdown_timeout_secs),
        };

        let json_limit = settings.max_json_body;
        let document = openapi::document();
        let methods = web::Data::new(MethodTable::new(&document));
        let schema = web::Data::new(routes::schema::SchemaJson::new(&document)?);
        drop(document);
        let cors_origins = settings.cors_origins();
        let user_limits = web::Data::new(crate::per_user::UserLimits {
            uploads: crate::per_user::PerUserLimit::new(
                settings.max_uploads_per_user,
                "You are already sending as many uploads at once as this server allows.",
                "too_many_uploads",
            ),
            preprocessing: crate::per_user::PerUserLimit::new(
                settings.max_preprocessing_per_user,
                "You already have as many preprocessing jobs running as this server allows.",
                "too_many_preprocessing_jobs",
            ),
        });
        let proxies = web::Data::new(crate::client_address::TrustedProxies::parse(
            &settings.trusted_proxies,
        )?);
        let body_deadline = crate::request::BodyDeadline {
            timeout: std::time::Duration::from_secs(settings.body_timeout_secs),
            min_rate: settings.body_min_rate,
        };
        let metrics_token = web::Data::new(routes::monitoring::MetricsToken(
            settings.metrics_token.clone().filter(|t| !t.is_empty()),
        ));
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(methods.clone())
                .app_data(schema.clone())
                .app_data(metrics_token.clone())
                .app_data(proxies.clone())
                .app_data(user_limits.clone())
                .app_data(web::PayloadConfig::new(json_limit))
                // A path that names no object (an id past i64, say) is a 404 like any other.
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| ApiError::not_found("not_found").into()),
                )
                .configure(|cfg| {
                    routes::configure(&mut utoipa_actix_web::service_config::ServiceConfig::new(cfg))
                })
                .service(routes::monitoring::scrape)
                .configure(crate::console::configure)
                .service(routes::schema::schema)
                .service(SwaggerUi::new("/api/docs/{_:.*}").config(Config::new(["/api/schema/"])))
                .default_service(web::to(routes::fallback))
                .wrap(cors(&cors_origins))
                .wrap_fn(move |mut req, srv| {
                    normalize::add_trailing_slash(&mut req);
                    body_deadline.apply(&mut req);
                    telemetry::log_request(req, srv)
                })
        })
        .worker_max_blocking_threads(settings.blocking_threads.max(1))
        .client_request_timeout(std::time::Duration::from_secs(settings.header_timeout_secs))
        // SIGTERM is handled in `hand_over`: runs are handed over before the server stops.
        .disable_signals()
        .shutdown_timeout(settings.shutdown_timeout_secs)
        .listen(listener)?;
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        Ok(Self {
            server: server.run(),
            address,
            shutdown,
        })
    }

    pub fn address(&self) -> std::net::SocketAddr {
        self.address
    }

    /// Serves until SIGTERM or SIGINT, then shuts down without losing training.
    pub async fn run(self) -> std::io::Result<()> {
        crate::hand_over::serve_until_signal(self.server, self.shutdown).await
    }
}

/// Browsers on the allowed origins may call the API with the token header.
fn cors(origins: &[String]) -> Cors {
    let cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::RANGE,
        ])
        .expose_headers([
            header::CONTENT_DISPOSITION,
            header::CONTENT_RANGE,
            header::RETRY_AFTER,
        ])
        .max_age(3600);
    if origins.iter().any(|o| o == "*") {
        return cors.allow_any_origin();
    }
    origins
        .iter()
        .fold(cors, |cors, origin| cors.allowed_origin(origin))
}

/// The use cases over the database and the data folder, training with the executor
/// the settings name (after marking runs cut off by the last stop as interrupted).
fn workbench(
    settings: &Settings,
    database: Database,
    address: std::net::SocketAddr,
) -> Result<Bench, Box<dyn std::error::Error>> {
    let data = Arc::new(data_service(settings, database.clone())?);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let workers = settings.train_workers.unwrap_or((cores / 2).max(1));
    let checkpoints = settings.data_dir.join("runs");
    let engine = Arc::new(trainer::NativeEngine);
    let bind_ip = address.ip().to_string();
    let intervals = trainer::Intervals {
        eval_every: settings.eval_every,
        checkpoint_every: settings.checkpoint_every,
    };
    let worker_server_url = settings
        .worker_server_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    if settings.executor == "kubernetes" && settings.worker_server_url.is_none() {
        tracing::warn!(url = %worker_server_url, "NETSMITH_WORKER_SERVER_URL is not set: workers in the cluster will report to this address; set it to the server's Service");
    }
    // One limit for every run that trains on this machine, whichever engine.
    let training = TrainingSlots::new(workers);
    let by_engine = |builtin: Arc<dyn Executor>| -> Result<Arc<dyn Executor>, cluster::ExecutorError> {
        let torch = TorchExecutor::start_sharing(
            database.clone(),
            TorchSettings {
                python: settings.python.clone(),
                runs: workers,
                server_url: worker_server_url.clone(),
                folder: checkpoints.clone(),
                bind_ip: bind_ip.clone(),
            },
            training.clone(),
        )?;
        Ok(Arc::new(ByEngine::new(builtin, Arc::new(torch))))
    };
    let executor: Result<Arc<dyn Executor>, cluster::ExecutorError> = match settings.executor.as_str() {
        "kubernetes" => Ok(Arc::new(KubernetesExecutor::start(
            database.clone(),
            settings.kubernetes(worker_server_url.clone())?,
        )?)),
        "process" => by_engine(Arc::new(ProcessExecutor::start_sharing(
            database.clone(),
            ProcessSettings {
                workers,
                command: settings
                    .worker_command
                    .as_deref()
                    .map_or_else(ProcessSettings::this_program, |c| {
                        c.split_whitespace().map(str::to_owned).collect()
                    }),
                server_url: worker_server_url.clone(),
                restarts: settings.worker_restarts,
                bind_ip: bind_ip.clone(),
            },
            training.clone(),
        )?)),
        "local" => by_engine(Arc::new(LocalExecutor::start_sharing(
            database.clone(),
            engine.clone(),
            Box::new(ModelInputs::new(data.clone(), database.clone())),
            LocalSettings {
                workers,
                eval_every: intervals.eval_every,
                checkpoint_every: intervals.checkpoint_every,
                checkpoints: checkpoints.clone(),
                bind_ip: bind_ip.clone(),
            },
            training.clone(),
        )?)),
        other => {
            return Err(
                format!("NETSMITH_EXECUTOR must be local, process or kubernetes, not {other:?}").into(),
            );
        }
    };
    // Runs of the PyTorch engine: torchrun on this machine, beside the executor's.
    let executor = executor?;
    let replica = ReplicaId::this_process();
    tracing::info!(executor = executor.name(), %replica, "executor ready");
    let executor: Arc<dyn Executor> = Arc::new(Replicated::start(
        executor,
        database.clone(),
        LeaseSettings {
            replica,
            ttl: std::time::Duration::from_secs(settings.lease_seconds.max(1)),
        },
    )?);
    let bench_settings = WorkbenchSettings {
        checkpoints,
        loaded_models: settings.loaded_models,
        fetch: FetchSettings {
            allow_private: settings.url_upload_allow_private,
            allowed_hosts: settings.url_allowed_hosts(),
            timeout: std::time::Duration::from_secs(settings.url_upload_timeout_secs),
        },
        intervals,
        max_queued_runs: settings.max_queued_runs_per_user,
    };
    Ok(Workbench::new(database, data, executor, engine, bench_settings)?)
}

/// The data catalogue over the database and the blob folder under the data folder.
pub fn data_service(
    settings: &Settings,
    database: Database,
) -> Result<DataService<Database, LocalBlobStore>, Box<dyn std::error::Error>> {
    let blobs = LocalBlobStore::open(settings.data_dir.join("blobs"))?;
    let data_settings = DataSettings {
        max_upload_bytes: settings.max_upload_bytes,
        quota_bytes: (settings.user_quota_bytes > 0).then_some(settings.user_quota_bytes),
        zip_limits: ZipLimits {
            max_entries: settings.zip_max_entries,
            max_total_bytes: settings.zip_max_total_bytes,
            max_ratio: settings.zip_max_ratio,
        },
    };
    Ok(DataService::new(database, blobs, data_settings))
}

/// The account service over the database and the configured mail transport.
pub fn account_service(
    settings: &Settings,
    database: Database,
) -> Result<crate::state::Accounts, Box<dyn std::error::Error>> {
    let mailer = match &settings.smtp_url {
        Some(url) => MailTransport::smtp(url, &settings.mail_from)?,
        None => MailTransport::outbox(settings.outbox(), &settings.mail_from)?,
    };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let account_settings = AccountSettings {
        email_verification: match settings.email_verification {
            EmailVerificationSetting::Mandatory => EmailVerification::Mandatory,
            EmailVerificationSetting::Optional => EmailVerification::Optional,
            EmailVerificationSetting::None => EmailVerification::None,
        },
        frontend_url: settings.frontend_url.trim_end_matches('/').to_owned(),
        site_name: settings.site_name.clone(),
        bcrypt_cost: settings.bcrypt_cost,
        hashing_threads: settings.hashing_threads.unwrap_or(cores),
        secret_key: secret::load_or_create(settings)?,
        session_lifetime: Duration::seconds(settings.session_lifetime_secs),
        reset_timeout: Duration::seconds(settings.password_reset_timeout_secs),
        email_key_lifetime: Duration::seconds(settings.email_key_lifetime_secs),
        throttle: ThrottleLimits {
            failures_per_login: settings.login_failures_per_user,
            login_window: std::time::Duration::from_secs(settings.login_failures_user_window_secs),
            failures_per_address: settings.login_failures_per_address,
            address_window: std::time::Duration::from_secs(settings.login_failures_address_window_secs),
        },
    };
    Ok(AccountService::new(database, mailer, account_settings)?)
}
